/**
 * `util.dynamodb`: plain values to DynamoDB's typed JSON, as APPSYNC_JS produces it (AWS's examples
 * for each helper). Numbers stay JSON numbers (`{ N: 1234 }`, not `{ N: '1234' }`); the data source
 * turns them into strings before calling DynamoDB, as AppSync's does. Lists are always `L`, never
 * sets. A value AWS documents no conversion for (`undefined`, a function, `NaN`, a `Date`) is refused
 * rather than guessed, and so are the S3 object helpers. Runs inside the sandbox: plain ECMAScript only.
 */
import type { Refuse } from './time-util.js'

type Typed = Record<string, unknown>

const describeObject = Object.prototype.toString

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return describeObject.call(value) === '[object Object]'
}

function kindOf(value: unknown): string {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'object' && value !== null) return describeObject.call(value)
  return typeof value
}

/** Builds the `util.dynamodb` object; `refuse` halts with the local runtime's refusal. */
export function createDynamodbUtil(refuse: Refuse) {
  const refuseValue = (helper: string, value: unknown): never =>
    refuse(`util.dynamodb.${helper} with ${kindOf(value)}`)

  const toDynamoDB = (value: unknown): Typed => {
    if (value === null) return { NULL: null }
    if (typeof value === 'string') return { S: value }
    if (typeof value === 'number' && Number.isFinite(value)) return { N: value }
    if (typeof value === 'boolean') return { BOOL: value }
    if (Array.isArray(value)) return { L: value.map(toDynamoDB) }
    if (isPlainObject(value)) return { M: toMapValues(value) }
    return refuseValue('toDynamoDB', value)
  }

  const toMapValues = (value: unknown): Record<string, Typed> => {
    if (!isPlainObject(value)) return refuseValue('toMapValues', value)
    const out: Record<string, Typed> = {}
    for (const key of Object.keys(value)) out[key] = toDynamoDB(value[key])
    return out
  }

  // The single-type helpers: null (or nothing) gives null, as AWS's typings say.
  const typed =
    (helper: string, type: string, accepts: (value: unknown) => boolean) =>
    (value: unknown): Typed | null => {
      if (value === null || value === undefined) return null
      return accepts(value) ? { [type]: value } : refuseValue(helper, value)
    }
  const isString = (value: unknown) => typeof value === 'string'
  const isNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value)
  const listOf = (accepts: (value: unknown) => boolean) => (value: unknown) =>
    Array.isArray(value) && value.every(accepts)

  return {
    toDynamoDB,
    toMapValues,
    toMap: (value: unknown) => ({ M: toMapValues(value) }),
    toList: (value: unknown) =>
      Array.isArray(value) ? { L: value.map(toDynamoDB) } : refuseValue('toList', value),
    toString: typed('toString', 'S', isString),
    toStringSet: typed('toStringSet', 'SS', listOf(isString)),
    toNumber: typed('toNumber', 'N', isNumber),
    toNumberSet: typed('toNumberSet', 'NS', listOf(isNumber)),
    toBinary: typed('toBinary', 'B', isString),
    toBinarySet: typed('toBinarySet', 'BS', listOf(isString)),
    toBoolean: typed('toBoolean', 'BOOL', (value) => typeof value === 'boolean'),
    toNull: () => ({ NULL: null }),
    toS3Object: () => refuse('util.dynamodb.toS3Object'),
    fromS3ObjectJson: () => refuse('util.dynamodb.fromS3ObjectJson'),
  }
}
