/**
 * The `util` global and export of APPSYNC_JS, as far as the local runtime implements it exactly
 * (see ../README.md for the list). Every other member AWS's typings declare is present and refuses
 * when called, naming itself; members AWS does not declare (the VTL-era `isNull`, ...) are absent,
 * as on AppSync. Runs inside the sandbox: plain ECMAScript only.
 */
import { createDynamodbUtil } from './dynamodb-values.js'
import type { HostBridge } from './host.js'
import { autoKsuid, autoUlid } from './ids.js'
import { javaMatches, UntranslatedPatternError } from './java-regex.js'
import { createTimeUtil } from './time-util.js'

/** What `util` needs from the runtime that installs it. */
export interface UtilHooks {
  /** Halts the handler with an error (`util.error`). */
  raise(message: string, errorType: string | null, data: unknown, errorInfo: unknown): never
  /** Records an error without halting (`util.appendError`). */
  append(message: string, errorType: string | null, data: unknown, errorInfo: unknown): void
  /** Halts the handler with the local runtime's refusal of `feature`. */
  refuse(feature: string): never
  /** The field being resolved, for `util.unauthorized`. */
  field(): { fieldName: string; parentTypeName: string }
  /** `API Key Authorization`, `IAM Authorization`, ... */
  authType(): string
}

/** Members of AWS's `Util` typings the local runtime refuses, by path. */
const refusedMembers: Record<string, string[]> = {
  '': ['escapeJavaScript', 'urlEncode', 'urlDecode', 'base64Encode', 'base64Decode'],
  transform: [
    'toDynamoDBFilterExpression',
    'toDynamoDBConditionExpression',
    'toElasticsearchQueryDSL',
    'toSubscriptionFilter',
  ],
  str: ['normalize'],
  math: ['roundNum', 'minVal', 'maxVal', 'randomDouble', 'randomWithinRange'],
  http: ['copyHeaders', 'addResponseHeader', 'addResponseHeaders'],
  xml: ['toMap', 'toJsonString'],
  rds: ['toJsonObject'],
}

function refusing(hooks: UtilHooks, path: string): Record<string, () => never> {
  const out: Record<string, () => never> = {}
  for (const name of refusedMembers[path] ?? [])
    out[name] = () => hooks.refuse(`util.${path === '' ? '' : `${path}.`}${name}`)
  return out
}

const isOptionalString = (value: unknown) =>
  value === undefined || value === null || typeof value === 'string'

/**
 * `util.error` as AppSync runs it: a call whose message or error type is not a string is silently
 * ignored (aws-appsync-community #384: `util.error(25)`, `util.error(true)` and
 * `util.error('abc', 25)` are no-ops). A null or undefined error type means none.
 */
function error(hooks: UtilHooks) {
  return (message?: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void => {
    if (message === undefined || message === null)
      return hooks.refuse(`util.error with a ${String(message)} message`)
    if (typeof message !== 'string' || !isOptionalString(errorType)) return
    hooks.raise(
      message,
      (errorType as string | null | undefined) ?? null,
      data ?? null,
      errorInfo ?? null,
    )
  }
}

/** `util.appendError`: AWS documents string arguments; anything else is refused, not guessed. */
function appendError(hooks: UtilHooks) {
  return (message?: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void => {
    if (typeof message !== 'string' || !isOptionalString(errorType))
      return hooks.refuse('util.appendError with a message or error type that is not a string')
    hooks.append(
      message,
      (errorType as string | null | undefined) ?? null,
      data ?? null,
      errorInfo ?? null,
    )
  }
}

function matches(hooks: UtilHooks) {
  return (pattern?: unknown, value?: unknown): boolean => {
    if (typeof pattern !== 'string' || typeof value !== 'string')
      return hooks.refuse('util.matches with an argument that is not a string')
    try {
      return javaMatches(pattern, value)
    } catch (failure) {
      if (failure instanceof UntranslatedPatternError)
        return hooks.refuse(
          `util.matches with ${failure.message} (pattern ${JSON.stringify(pattern)})`,
        )
      throw failure
    }
  }
}

/** Builds the `util` object for one sandbox. */
export function createUtil(host: HostBridge, hooks: UtilHooks) {
  const refuse = (feature: string) => hooks.refuse(feature)
  return {
    ...refusing(hooks, ''),
    error: error(hooks),
    appendError: appendError(hooks),
    unauthorized: (): never => {
      const { fieldName, parentTypeName } = hooks.field()
      return hooks.raise(
        `Not Authorized to access ${fieldName} on type ${parentTypeName}`,
        'Unauthorized',
        null,
        null,
      )
    },
    authType: () => hooks.authType(),
    autoId: () => host.randomUuid(),
    autoUlid: () => autoUlid(host),
    autoKsuid: () => autoKsuid(host),
    matches: matches(hooks),
    time: createTimeUtil(host, refuse),
    dynamodb: createDynamodbUtil(refuse),
    transform: refusing(hooks, 'transform'),
    str: refusing(hooks, 'str'),
    math: refusing(hooks, 'math'),
    http: refusing(hooks, 'http'),
    xml: refusing(hooks, 'xml'),
    rds: refusing(hooks, 'rds'),
  }
}
