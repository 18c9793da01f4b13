import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from 'aws-cdk-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleNames } from '../../infra/api.js'
import {
  InvalidDeployConfigError,
  defaultDeployConfig,
  readDeployConfig,
} from '../../infra/aws/deploy-config.js'
import { createOtpApp } from '../../infra/aws/otp-app.js'
import { MissingBundleError, readResolverBundles } from '../../infra/aws/resolver-bundles.js'
import { MissingWebBuildError } from '../../infra/aws/constructs/web-hosting.js'
import { loadSettings } from '../../infra/settings.js'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'otp-inputs-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const configFrom = (context: Record<string, unknown>) => readDeployConfig(new App({ context }).node)

describe('synth inputs', () => {
  it('refuses to synthesize without the built web app and names the build command', () => {
    const code =
      'export function request() { return {} }\nexport function response() { return {} }\n'
    expect(() =>
      createOtpApp({
        outdir: join(dir, 'cdk.out'),
        context: { 'aws:cdk:bundling-stacks': [] },
        settings: loadSettings({}),
        resolverCode: new Map(bundleNames().map((name) => [name, code])),
        webDistDir: join(dir, 'no-web-dist'),
      }),
    ).toThrow(MissingWebBuildError)
    expect(() =>
      createOtpApp({
        context: { 'aws:cdk:bundling-stacks': [] },
        settings: loadSettings({}),
        resolverCode: new Map(bundleNames().map((name) => [name, code])),
        webDistDir: join(dir, 'no-web-dist'),
      }),
    ).toThrow(/npm run build:web/)
  })

  it('refuses to read resolver bundles that were not built and names the build command', () => {
    expect(() => readResolverBundles(join(dir, 'no-bundles'))).toThrow(MissingBundleError)
    expect(() => readResolverBundles(join(dir, 'no-bundles'))).toThrow(/npm run build:resolvers/)
  })
})

describe('readDeployConfig', () => {
  it('protects the data and creates no SES identity by default', () => {
    expect(configFrom({})).toEqual(defaultDeployConfig)
    expect(defaultDeployConfig).toMatchObject({
      deletionProtection: true,
      createSesIdentity: false,
      wafRateLimit: 300,
      wafRequestOtpRateLimit: 30,
      wafSignedRateLimit: 60_000,
    })
  })

  it('reads booleans and numbers given as strings on the command line', () => {
    expect(
      configFrom({ deletionProtection: 'false', wafRateLimit: '500', apiKeyExpiryDays: '90' }),
    ).toMatchObject({
      deletionProtection: false,
      wafRateLimit: 500,
      apiKeyExpiryDays: 90,
    })
  })

  it('splits sandbox recipients given as a comma-separated list', () => {
    expect(
      configFrom({ sandboxRecipients: ' a@example.org,b@example.org ,' }).sandboxRecipients,
    ).toEqual(['a@example.org', 'b@example.org'])
  })

  it('rejects an API key lifetime AppSync would refuse, naming the key', () => {
    expect(() => configFrom({ apiKeyExpiryDays: 400 })).toThrow(InvalidDeployConfigError)
    expect(() => configFrom({ apiKeyExpiryDays: 400 })).toThrow(/apiKeyExpiryDays/)
  })

  it('rejects a requestOtp rate limit below what WAF accepts, naming the key', () => {
    expect(() => configFrom({ wafRequestOtpRateLimit: '5' })).toThrow(/wafRequestOtpRateLimit/)
  })

  it('rejects a boolean it cannot read', () => {
    expect(() => configFrom({ deletionProtection: 'maybe' })).toThrow(
      /deletionProtection must be true or false/,
    )
  })
})
