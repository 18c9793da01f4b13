/**
 * `util.transform.toDynamoDBFilterExpression` / `toDynamoDBConditionExpression`: AppSync's filter
 * objects (`{ title: { beginsWith: 'a' }, or: [...] }`) to DynamoDB expressions with placeholder
 * names and values. Operators of one field and keys of one object are joined with AND.
 * Runs inside the sandbox: plain ECMAScript only.
 */
import { toDynamoDB } from './dynamodb-values.js'

export interface DynamoDBExpression {
  expression: string
  expressionNames: Record<string, string>
  expressionValues: Record<string, unknown>
}

const attributeTypes: Record<string, string> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
}

const comparisons: Record<string, string> = {
  eq: '=',
  ne: '<>',
  le: '<=',
  lt: '<',
  ge: '>=',
  gt: '>',
}

interface Builder {
  names: Record<string, string>
  values: Record<string, unknown>
  used: Record<string, number>
}

function placeholder(builder: Builder, base: string): string {
  const count = builder.used[base] ?? 0
  builder.used[base] = count + 1
  return count === 0 ? base : `${base}_${count}`
}

// Placeholders may hold letters, digits and underscores only.
function safeName(attribute: string): string {
  const kept = attribute
    .split('')
    .filter((ch) => ch.toLowerCase() !== ch.toUpperCase() || (ch >= '0' && ch <= '9') || ch === '_')
  return kept.join('') || 'attr'
}

function nameOf(builder: Builder, attribute: string): string {
  const name = `#${safeName(attribute)}`
  const existing = builder.names[name]
  if (existing === undefined || existing === attribute) {
    builder.names[name] = attribute
    return name
  }
  const unique = placeholder(builder, name)
  builder.names[unique] = attribute
  return unique
}

function valueOf(builder: Builder, attribute: string, op: string, value: unknown): string {
  const name = placeholder(builder, `:${safeName(attribute)}_${op}`)
  builder.values[name] = toDynamoDB(value)
  return name
}

function fieldExpression(
  builder: Builder,
  attribute: string,
  ops: Record<string, unknown>,
  operand?: string,
): string[] {
  const target = operand ?? nameOf(builder, attribute)
  const parts: string[] = []
  for (const op of Object.keys(ops)) {
    const value = ops[op]
    if (value === undefined) continue
    const comparison = comparisons[op]
    if (comparison !== undefined)
      parts.push(`${target} ${comparison} ${valueOf(builder, attribute, op, value)}`)
    else if (op === 'beginsWith')
      parts.push(`begins_with(${target}, ${valueOf(builder, attribute, op, value)})`)
    else if (op === 'contains')
      parts.push(`contains(${target}, ${valueOf(builder, attribute, op, value)})`)
    else if (op === 'notContains')
      parts.push(`NOT contains(${target}, ${valueOf(builder, attribute, op, value)})`)
    else if (op === 'between' && Array.isArray(value)) {
      const [low, high] = value as unknown[]
      parts.push(
        `${target} BETWEEN ${valueOf(builder, attribute, 'between', low)} AND ${valueOf(
          builder,
          attribute,
          'between',
          high,
        )}`,
      )
    } else if (op === 'in' && Array.isArray(value)) {
      parts.push(
        `${target} IN (${(value as unknown[])
          .map((v) => valueOf(builder, attribute, 'in', v))
          .join(', ')})`,
      )
    } else if (op === 'attributeExists')
      parts.push(value ? `attribute_exists(${target})` : `attribute_not_exists(${target})`)
    else if (op === 'attributeType') {
      parts.push(
        `attribute_type(${target}, ${valueOf(
          builder,
          attribute,
          op,
          attributeTypes[String(value)] ?? value,
        )})`,
      )
    } else if (op === 'size' && typeof value === 'object' && value !== null) {
      parts.push(
        ...fieldExpression(builder, attribute, value as Record<string, unknown>, `size(${target})`),
      )
    } else throw new Error(`Unsupported operator ${op} on ${attribute}`)
  }
  return parts
}

// Each part is parenthesised only when it is joined with others.
function joinParts(parts: string[], operator: 'AND' | 'OR'): string {
  return parts.length === 1
    ? parts[0] ?? ''
    : parts.map((part) => `(${part})`).join(` ${operator} `)
}

function objectExpression(builder: Builder, filter: Record<string, unknown>): string {
  const parts: string[] = []
  for (const key of Object.keys(filter)) {
    const value = filter[key]
    if (value === undefined || value === null) continue
    if (key === 'and' || key === 'or') {
      const list = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[]
      const inner = list.map((entry) => objectExpression(builder, entry)).filter((e) => e !== '')
      if (inner.length > 0) parts.push(joinParts(inner, key === 'and' ? 'AND' : 'OR'))
    } else if (key === 'not') {
      parts.push(`NOT (${objectExpression(builder, value as Record<string, unknown>)})`)
    } else {
      parts.push(...fieldExpression(builder, key, value as Record<string, unknown>))
    }
  }
  return joinParts(parts, 'AND')
}

/** Builds `{ expression, expressionNames, expressionValues }`, or null for an empty filter. */
export function buildExpression(filter: unknown): DynamoDBExpression | null {
  if (typeof filter !== 'object' || filter === null) return null
  const builder: Builder = { names: {}, values: {}, used: {} }
  const expression = objectExpression(builder, filter as Record<string, unknown>)
  if (expression === '') return null
  return { expression, expressionNames: builder.names, expressionValues: builder.values }
}

/** The `util.transform` object (DynamoDB parts; the OpenSearch and subscription helpers are not offered locally). */
export function createTransformUtil() {
  return {
    toDynamoDBFilterExpression: (filter: unknown) => JSON.stringify(buildExpression(filter)),
    toDynamoDBConditionExpression: (condition: unknown) =>
      JSON.stringify(buildExpression(condition)),
  }
}
