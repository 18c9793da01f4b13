/**
 * The `util` global and export of APPSYNC_JS. Runs inside the sandbox: plain ECMAScript only.
 * The null/blank helpers and `util.str.toUpper`/`toLower`/`toReplace` come from the VTL `$util`;
 * AppSync's JS typings do not declare them, so typed resolvers cannot reach them anyway.
 */
import { createDynamodbUtil } from './dynamodb-values.js'
import type { HostBridge } from './host.js'
import { autoKsuid, autoUlid } from './ids.js'
import { createTimeUtil } from './time-util.js'
import { createTransformUtil } from './transform.js'

/** What `util` needs from the runtime that installs it. */
export interface UtilHooks {
  /** Halts the handler with an error (`util.error`). */
  raise(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): never
  /** Records an error without halting (`util.appendError`). */
  append(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void
  /** The field being resolved, for `util.unauthorized`. */
  field(): { fieldName: string; parentTypeName: string }
  /** `API Key Authorization`, `IAM Authorization`, ... */
  authType(): string
}

const isBlank = (value: unknown) => typeof value === 'string' && value.trim() === ''
const isEmpty = (value: unknown) =>
  typeof value === 'string' || Array.isArray(value)
    ? value.length === 0
    : typeof value === 'object' && value !== null && Object.keys(value).length === 0

/** Java's `URLEncoder` (application/x-www-form-urlencoded, UTF-8): `encodeURIComponent` leaves !'()~ alone, Java does not. */
function urlEncode(value: string): string {
  const specials: Record<string, string> = {
    '!': '%21',
    "'": '%27',
    '(': '%28',
    ')': '%29',
    '~': '%7E',
  }
  return encodeURIComponent(value)
    .split('')
    .map((ch) => specials[ch] ?? ch)
    .join('')
    .split('%20')
    .join('+')
}

/** Apache `StringEscapeUtils.escapeEcmaScript`, which AppSync's `escapeJavaScript` follows. */
function escapeJavaScript(value: string): string {
  const named: Record<string, string> = {
    "'": "\\'",
    '"': '\\"',
    '\\': '\\\\',
    '/': '\\/',
    '\b': '\\b',
    '\n': '\\n',
    '\t': '\\t',
    '\f': '\\f',
    '\r': '\\r',
  }
  let out = ''
  for (const ch of value.split('')) {
    const code = ch.codePointAt(0) ?? 0
    if (named[ch] !== undefined) out += named[ch]
    else if (code < 32 || code > 126)
      out += `\\u${`0000${code.toString(16).toUpperCase()}`.slice(-4)}`
    else out += ch
  }
  return out
}

/** Builds the `util` object for one sandbox. */
export function createUtil(host: HostBridge, hooks: UtilHooks) {
  return {
    error: (message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): never =>
      hooks.raise(message, errorType, data, errorInfo),
    appendError: (message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown) =>
      hooks.append(message, errorType, data, errorInfo),
    unauthorized: (): never => {
      const { fieldName, parentTypeName } = hooks.field()
      return hooks.raise(
        `Not Authorized to access ${fieldName} on type ${parentTypeName}`,
        'Unauthorized',
      )
    },
    authType: () => hooks.authType(),
    autoId: () => host.randomUuid(),
    autoUlid: () => autoUlid(host),
    autoKsuid: () => autoKsuid(host),
    // Java's Pattern.matches: the whole input must match.
    matches: (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(String(value)),
    escapeJavaScript,
    urlEncode,
    urlDecode: (value: string) => decodeURIComponent(value.split('+').join(' ')),
    base64Encode: (value: string) => host.base64Encode(String(value)),
    base64Decode: (value: string) => host.base64Decode(String(value)),
    isNull: (value: unknown) => value === null || value === undefined,
    isNullOrEmpty: (value: unknown) => value === null || value === undefined || isEmpty(value),
    isNullOrBlank: (value: unknown) =>
      value === null || value === undefined || isBlank(value) || value === '',
    defaultIfNull: (value: unknown, fallback: unknown) =>
      value === null || value === undefined ? fallback : value,
    defaultIfNullOrEmpty: (value: unknown, fallback: unknown) =>
      value === null || value === undefined || isEmpty(value) ? fallback : value,
    defaultIfNullOrBlank: (value: unknown, fallback: unknown) =>
      value === null || value === undefined || isBlank(value) || value === '' ? fallback : value,
    time: createTimeUtil(host),
    dynamodb: createDynamodbUtil(),
    transform: createTransformUtil(),
    str: {
      toUpper: (value: string) => String(value).toUpperCase(),
      toLower: (value: string) => String(value).toLowerCase(),
      toReplace: (value: string, target: string, replacement: string) =>
        String(value).split(target).join(replacement),
      normalize: (value: string, form: string) =>
        String(value).normalize(String(form).toUpperCase()),
    },
    math: {
      roundNum: (value: number) => Math.round(value),
      minVal: (a: number, b: number) => Math.min(a, b),
      maxVal: (a: number, b: number) => Math.max(a, b),
      // AWS documents these as unfit for cryptography; they are backed by the host's CSPRNG here all the same.
      randomDouble: () => Number.parseInt(host.randomHex(6), 16) / 2 ** 48,
      randomWithinRange: (start: number, end: number) =>
        start + Math.floor((Number.parseInt(host.randomHex(6), 16) / 2 ** 48) * (end - start + 1)),
    },
  }
}
