/**
 * Synthesizes the CDK app in-process and offline, as `cdk synth` would, for the infrastructure
 * tests: fresh resolver bundles from `infra/bundle.ts`, the email Lambda bundled by the local
 * esbuild, cdk-nag registered. Everything is written under a temporary directory.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Template } from 'aws-cdk-lib/assertions'
import type { App } from 'aws-cdk-lib'
import { buildResolverBundles } from '../../infra/bundle.js'
import { createOtpApp } from '../../infra/aws/otp-app.js'
import type { OtpStack } from '../../infra/aws/otp-stack.js'
import { readResolverBundles } from '../../infra/aws/resolver-bundles.js'
import { loadSettings, type OtpSettings } from '../../infra/settings.js'

export interface Synthesized {
  app: App
  stack: OtpStack
  template: Template
  settings: OtpSettings
  /** Where this synthesis built the resolver bundles it deployed. */
  bundleDir: string
  /** Removes the temporary directory. */
  cleanup(): Promise<void>
}

export interface SynthesizeOptions {
  /** CDK context, as `cdk synth -c key=value` gives it. */
  context?: Record<string, unknown>
  /** Overrides over the defaults (the environment is ignored, so tests do not depend on it). */
  settings?: Partial<OtpSettings>
}

/** A stand-in for `web/dist`: the infrastructure tests are about hosting, not the app. */
export async function makeWebDist(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>OTP</title><div id="app"></div>')
  return dir
}

export type BuiltApp = Omit<Synthesized, 'template'>

/** Builds the app (constructs, bundles, Lambda asset) without synthesizing it. */
export async function buildOtpApp(options: SynthesizeOptions = {}): Promise<BuiltApp> {
  const dir = await mkdtemp(join(tmpdir(), 'otp-cdk-'))
  const cleanup = () => rm(dir, { recursive: true, force: true })
  try {
    const bundleDir = join(dir, 'resolvers')
    await buildResolverBundles(bundleDir)
    const settings = loadSettings({}, options.settings)
    const { app, stack } = createOtpApp({
      outdir: join(dir, 'cdk.out'),
      context: options.context,
      settings,
      resolverCode: readResolverBundles(bundleDir),
      webDistDir: await makeWebDist(join(dir, 'web')),
    })
    return { app, stack, settings, bundleDir, cleanup }
  } catch (error) {
    await cleanup()
    throw error
  }
}

/** Builds and synthesizes the app; the synthesis runs cdk-nag and throws on any finding. */
export async function synthesize(options: SynthesizeOptions = {}): Promise<Synthesized> {
  const built = await buildOtpApp(options)
  try {
    return { ...built, template: Template.fromStack(built.stack) }
  } catch (error) {
    await built.cleanup()
    throw error
  }
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>

/** The resources of one CloudFormation type, by logical id. */
export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources
}

/** The only resource of a type; fails the test when there is not exactly one. */
export function onlyResource(
  template: Template,
  type: string,
): { id: string; props: Record<string, unknown> } {
  const entries = Object.entries(resourcesOfType(template, type))
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`)
  const [id, resource] = entries[0] as [string, { Properties?: Record<string, unknown> }]
  return { id, props: resource.Properties ?? {} }
}

export interface PolicyStatementJson {
  Effect: string
  Action: string | string[]
  Resource?: unknown
  Condition?: Record<string, Record<string, unknown>>
}

/** Every statement of every inline IAM policy in the template, with the policy's logical id. */
export function policyStatements(
  template: Template,
): { policy: string; statement: PolicyStatementJson }[] {
  return Object.entries(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap(
    ([policy, resource]) => {
      const document = resource.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] }
      return document.Statement.map((statement) => ({ policy, statement }))
    },
  )
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action]
}

export function resourcesOf(statement: PolicyStatementJson): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]
}
