/**
 * DynamoDB typed JSON as resolvers write it (`{ N: 1234 }`, binaries as base64) to the SDK's
 * `AttributeValue`, and items back to the plain JSON AppSync hands to response handlers
 * (numbers as numbers, sets as arrays, binaries as base64).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'

/** Thrown when a request object holds something that is not a DynamoDB typed value. */
export class MalformedRequestError extends Error {
  override name = 'MalformedRequestError'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function numberText(value: unknown, where: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return value
  throw new MalformedRequestError(`${where}: N must hold a number, got ${JSON.stringify(value)}`)
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedRequestError(`${where}: expected a list`)
  return value
}

/** One typed value to an SDK `AttributeValue`. */
function toAttributeValue(value: unknown, where = 'value'): AttributeValue {
  if (!isRecord(value))
    throw new MalformedRequestError(
      `${where}: expected a DynamoDB typed value such as { "S": "..." }`,
    )
  const [type, ...extra] = Object.keys(value)
  if (type === undefined || extra.length > 0)
    throw new MalformedRequestError(`${where}: a typed value has exactly one type key`)
  const inner = value[type]
  switch (type) {
    case 'S':
      if (typeof inner !== 'string')
        throw new MalformedRequestError(`${where}: S must hold a string`)
      return { S: inner }
    case 'N':
      return { N: numberText(inner, where) }
    case 'BOOL':
      if (typeof inner !== 'boolean')
        throw new MalformedRequestError(`${where}: BOOL must hold a boolean`)
      return { BOOL: inner }
    case 'NULL':
      return { NULL: true }
    case 'B':
      return { B: Buffer.from(String(inner), 'base64') }
    case 'SS':
      return { SS: list(inner, where).map(String) }
    case 'NS':
      return { NS: list(inner, where).map((n) => numberText(n, where)) }
    case 'BS':
      return { BS: list(inner, where).map((b) => Buffer.from(String(b), 'base64')) }
    case 'L':
      return { L: list(inner, where).map((entry, i) => toAttributeValue(entry, `${where}[${i}]`)) }
    case 'M':
      return { M: toAttributeMap(inner, where) }
    default:
      throw new MalformedRequestError(`${where}: unknown DynamoDB type ${type}`)
  }
}

/** A map of typed values (a key, an item, expression values) to SDK attribute values. */
export function toAttributeMap(value: unknown, where = 'map'): Record<string, AttributeValue> {
  if (!isRecord(value))
    throw new MalformedRequestError(`${where}: expected a map of DynamoDB typed values`)
  const out: Record<string, AttributeValue> = {}
  for (const [key, entry] of Object.entries(value))
    out[key] = toAttributeValue(entry, `${where}.${key}`)
  return out
}

/** One SDK attribute value to plain JSON, as AppSync presents DynamoDB results. */
function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S
  if (value.N !== undefined) return Number(value.N)
  if (value.BOOL !== undefined) return value.BOOL
  if (value.NULL !== undefined) return null
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64')
  if (value.SS !== undefined) return [...value.SS]
  if (value.NS !== undefined) return value.NS.map(Number)
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString('base64'))
  if (value.L !== undefined) return value.L.map(fromAttributeValue)
  if (value.M !== undefined) return fromItem(value.M)
  return null
}

/** An SDK item to plain JSON. */
export function fromItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(item)) out[key] = fromAttributeValue(entry)
  return out
}
