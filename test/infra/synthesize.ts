/**
 * Synthesizes the CDK app in-process and offline, as `cdk synth` would, for the infrastructure
 * tests: fresh resolver bundles from `infra/bundle.ts`, the email Lambda bundled by the local
 * esbuild, cdk-nag registered. Everything is written under a temporary directory.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Template } from 'aws-cdk-lib/assertions'
import type { App, CfnElement } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'
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
  /** The directory of the resolver bundles this synthesis deployed. */
  bundleDir: string
  /** Removes the temporary directory. */
  cleanup(): Promise<void>
}

export interface SynthesizeOptions {
  /** CDK context, as `cdk synth -c key=value` gives it. */
  context?: Record<string, unknown>
  /** Overrides over the defaults (the environment is ignored, so tests do not depend on it). */
  settings?: Partial<OtpSettings>
  /**
   * Deploy the bundles already built in this directory, as `cdk synth` deploys `dist/resolvers`;
   * by default fresh bundles are built from the sources into a temporary directory.
   */
  bundleDir?: string
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
    const bundleDir = options.bundleDir ?? join(dir, 'resolvers')
    if (options.bundleDir === undefined) await buildResolverBundles(bundleDir)
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
  NotAction?: string | string[]
  Resource?: unknown
  NotResource?: unknown
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

/**
 * Every statement of every policy document anywhere in the template: IAM policies, managed
 * policies, inline role policies, and resource policies (bucket, queue, table, ...), with the
 * logical id of the resource that holds it.
 */
export function allPolicyStatements(
  template: Template,
): { resource: string; statement: PolicyStatementJson }[] {
  const found: { resource: string; statement: PolicyStatementJson }[] = []
  const visit = (resource: string, value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(resource, item)
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const statements = (child as { Statement?: unknown } | null)?.Statement
        if ((key === 'PolicyDocument' || key === 'KeyPolicy') && statements !== undefined) {
          for (const statement of [statements].flat() as PolicyStatementJson[])
            found.push({ resource, statement })
        } else visit(resource, child)
      }
    }
  }
  for (const [id, resource] of Object.entries(template.toJSON().Resources as Resources))
    visit(id, resource.Properties)
  return found
}

/** IAM's wildcard match: `*` any run of characters, `?` any one, case-insensitive. */
export function iamPatternMatches(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`, 'i').test(value)
}

/**
 * Whether an Allow statement can grant an action of one of `services` (IAM service prefixes):
 * an Action of `*`, or one whose prefix matches (`dynamodb:*`, `DynamoDB:GetItem`, `dyn*:*`), or
 * any NotAction (which grants everything it does not list).
 */
export function reachesServices(statement: PolicyStatementJson, services: string[]): boolean {
  if (statement.Effect !== 'Allow') return false
  if (statement.NotAction !== undefined) return true
  return actionsOf(statement).some((action) => {
    const prefix = action.includes(':') ? action.slice(0, action.indexOf(':')) : action
    return services.some((service) => iamPatternMatches(prefix, service))
  })
}

/** The actions of a statement that name no single action: `*`, `dynamodb:*`, `ses:Send*`, `s3:Get?bject`. */
export function wildcardActions(statement: PolicyStatementJson): string[] {
  return actionsOf(statement).filter((action) => /[*?]/.test(action))
}

/** Every string a value is built from (literal parts of Fn::Join, Fn::Sub, plain strings). */
function literalParts(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(literalParts)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(literalParts)
  return []
}

/**
 * The resources of a statement that stand for more than one named resource: `"*"`, an ARN pattern
 * such as `arn:aws:dynamodb:*:*:table/*`, a `Fn::Join` of a table ARN and `/index/*`, or any
 * NotResource (everything but what it lists).
 */
export function wildcardResources(statement: PolicyStatementJson): unknown[] {
  if (statement.NotResource !== undefined) return [{ NotResource: statement.NotResource }]
  return resourcesOf(statement).filter((resource) =>
    literalParts(resource).some((part) => /[*?]/.test(part)),
  )
}

/**
 * The `config.json` the web deployment writes, parsed from its staged asset, with each deploy-time
 * value (the API URL and key) standing as the CloudFormation expression that fills it.
 */
export function deployedWebConfig(synth: Synthesized): Record<string, unknown> {
  const { props } = onlyResource(synth.template, 'Custom::CDKBucketDeployment')
  const keys = props.SourceObjectKeys as string[]
  const markers = props.SourceMarkers as Record<string, unknown>[]
  for (const [index, key] of keys.entries()) {
    const file = join(synth.app.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json')
    if (!existsSync(file)) continue
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    const filled = (value: unknown) =>
      typeof value === 'string' && markers[index]?.[value] !== undefined
        ? markers[index]?.[value]
        : value
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, filled(v)]))
  }
  throw new Error('no config.json among the web deployment sources')
}

/** The event source mapping that feeds `handler` (the stack has one per stream reader). */
export function streamMappingOf(
  synth: Pick<Synthesized, 'template' | 'stack'>,
  handler: IConstruct,
): { id: string; props: Record<string, unknown> } {
  const ref = JSON.stringify({
    Ref: synth.stack.getLogicalId(handler.node.defaultChild as CfnElement),
  })
  const entries = Object.entries(resourcesOfType(synth.template, 'AWS::Lambda::EventSourceMapping'))
    .map(([id, r]) => ({
      id,
      props: (r as { Properties?: Record<string, unknown> }).Properties ?? {},
    }))
    .filter((m) => JSON.stringify(m.props.FunctionName) === ref)
  if (entries.length !== 1)
    throw new Error(`expected one mapping for the handler, found ${entries.length}`)
  return entries[0] as { id: string; props: Record<string, unknown> }
}
