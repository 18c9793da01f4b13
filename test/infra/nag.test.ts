import { Annotations, Match } from 'aws-cdk-lib/assertions'
import { Validations } from 'aws-cdk-lib'
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs'
import { AwsSolutionsChecks } from 'cdk-nag'
import type { IConstruct } from 'constructs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleNames } from '../../infra/api.js'
import { createOtpApp } from '../../infra/aws/otp-app.js'
import { loadSettings } from '../../infra/settings.js'
import { buildOtpApp, makeWebDist, type BuiltApp } from './synthesize.js'

/** Every construct below `root`, root included. */
function allConstructs(root: IConstruct): IConstruct[] {
  return [root, ...root.node.children.flatMap(allConstructs)]
}

/** `[rule id, reason]` of every acknowledgement recorded in the tree. */
function acknowledgements(root: IConstruct): [string, string][] {
  return allConstructs(root).flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
  )
}

const configurations = {
  'the default deployment': {},
  'a deployment with every option on': {
    deletionProtection: false,
    createSesIdentity: true,
    sandboxRecipients: 'tester@example.org',
    alarmEmail: 'ops@example.com',
    emailReservedConcurrency: 0,
  },
}

describe.each(Object.entries(configurations))(
  'cdk-nag AwsSolutionsChecks on %s',
  (_name, context) => {
    let built: BuiltApp

    beforeAll(async () => {
      built = await buildOtpApp({ context })
    })

    afterAll(async () => {
      await built?.cleanup()
    })

    it('reports no unacknowledged error or warning', () => {
      const report = new AwsSolutionsChecks().validateScope(built.app)
      const findings = report.violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath ?? '?'}`),
      )
      expect(findings).toEqual([])
      expect(report.success).toBe(true)
    })

    it('synthesizes with the pack registered on the app and no annotation warnings or errors', () => {
      expect(() => built.app.synth()).not.toThrow()
      const annotations = Annotations.fromStack(built.stack)
      expect(annotations.findError('*', Match.anyValue())).toEqual([])
      expect(annotations.findWarning('*', Match.anyValue())).toEqual([])
    })

    it('gives every acknowledgement a concrete reason', () => {
      // aws-cdk-lib records acknowledgements of its own (CloudFormation-Validate::...); ours are cdk-nag's.
      const acks = acknowledgements(built.app).filter(([id]) => id.includes('AwsSolutions-'))
      expect(acks.length).toBeGreaterThan(5)
      for (const [id, reason] of acks) {
        expect(reason.length, id).toBeGreaterThanOrEqual(60)
        expect(reason.length, id).toBeLessThanOrEqual(400)
      }
    })
  },
)

describe('cdk-nag gate', () => {
  it('fails synthesis when a finding is not acknowledged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'otp-nag-'))
    try {
      const code =
        'export function request() { return {} }\nexport function response(ctx) { return ctx.prev.result }\n'
      const { app, stack } = createOtpApp({
        outdir: join(dir, 'cdk.out'),
        // Skips the Lambda bundling: this test is about the validation gate only.
        context: { 'aws:cdk:bundling-stacks': [] },
        settings: loadSettings({}),
        resolverCode: new Map(bundleNames().map((name) => [name, code])),
        webDistDir: await makeWebDist(join(dir, 'web')),
      })
      new Queue(stack, 'UnencryptedQueue', { encryption: QueueEncryption.UNENCRYPTED })
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
