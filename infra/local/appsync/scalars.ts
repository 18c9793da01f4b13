/**
 * AppSync's scalars with AppSync's validation, applied to inputs (literals and variables) and to
 * outputs. See "Scalar types in AWS AppSync": AWSDate `YYYY-MM-DD` with an optional offset;
 * AWSTime `hh:mm[:ss[.sss]]` with an optional offset; AWSDateTime a date and time with a
 * required offset; AWSTimestamp epoch seconds; AWSEmail `local-part@domain-part` (RFC 822);
 * AWSJSON JSON text, parsed for resolvers; AWSURL with a scheme; AWSPhone digits with spaces or
 * hyphens; AWSIPAddress IPv4/IPv6 with an optional prefix length.
 */
import { isIP } from 'node:net'
import { Kind, type GraphQLScalarType, type GraphQLSchema, type ValueNode } from 'graphql'

/** A value a scalar refuses; the message never repeats the value (it may be a secret). */
export class ScalarValidationError extends Error {
  override name = 'ScalarValidationError'
  constructor(readonly scalar: string) {
    super(`not a valid '${scalar}'`)
  }
}

const offset = '(?:Z|[+-]\\d{2}(?::\\d{2}(?::\\d{2})?)?)'
const date = '\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])'
const time = '(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?'
const datePattern = new RegExp(`^${date}${offset}?$`)
const timePattern = new RegExp(`^${time}${offset}?$`)
const dateTimePattern = new RegExp(`^${date}T${time}${offset}$`)
const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const label = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?'
const emailPattern = new RegExp(`^${atext}(?:\\.${atext})*@${label}(?:\\.${label})*$`)
const phonePattern = /^\+?\d(?:[ -]?\d){5,14}$/

function realDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
  const parsed = new Date(Date.UTC(year, month - 1, day))
  return parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day
}

function isUrl(text: string): boolean {
  try {
    return !new URL(text).pathname.includes('//') && !/\s/.test(text)
  } catch {
    return false
  }
}

function isIpAddress(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/')
  const version = isIP(address)
  if (version === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  const bits = Number(prefix)
  return /^\d{1,3}$/.test(prefix) && bits <= (version === 4 ? 32 : 128)
}

const stringChecks: Record<string, (text: string) => boolean> = {
  AWSDate: (text) => datePattern.test(text) && realDate(text),
  AWSTime: (text) => timePattern.test(text),
  AWSDateTime: (text) => dateTimePattern.test(text) && realDate(text),
  AWSEmail: (text) => emailPattern.test(text),
  AWSURL: isUrl,
  AWSPhone: (text) => phonePattern.test(text),
  AWSIPAddress: isIpAddress,
}

function checkString(scalar: string, value: unknown): string {
  const check = stringChecks[scalar]
  if (typeof value !== 'string' || !check?.(value)) throw new ScalarValidationError(scalar)
  return value
}

function timestamp(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new ScalarValidationError('AWSTimestamp')
  return value
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') throw new ScalarValidationError('AWSJSON')
  try {
    return JSON.parse(value) as unknown
  } catch {
    throw new ScalarValidationError('AWSJSON')
  }
}

function literal(node: ValueNode): unknown {
  if (node.kind === Kind.STRING) return node.value
  if (node.kind === Kind.INT) return Number(node.value)
  return undefined
}

/** Gives the AppSync scalars of a schema built from `infra/appsync.graphql` their behaviour. */
export function installAppSyncScalars(schema: GraphQLSchema): void {
  for (const name of [...Object.keys(stringChecks), 'AWSTimestamp', 'AWSJSON']) {
    const type = schema.getType(name) as GraphQLScalarType | undefined
    if (!type) continue
    if (name === 'AWSTimestamp') {
      Object.assign(type, {
        serialize: timestamp,
        parseValue: timestamp,
        parseLiteral: (node: ValueNode) => timestamp(literal(node)),
      })
    } else if (name === 'AWSJSON') {
      Object.assign(type, {
        serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
        parseValue: parseJson,
        parseLiteral: (node: ValueNode) => parseJson(literal(node)),
      })
    } else {
      Object.assign(type, {
        serialize: (value: unknown) => checkString(name, value),
        parseValue: (value: unknown) => checkString(name, value),
        parseLiteral: (node: ValueNode) => checkString(name, literal(node)),
      })
    }
  }
}
