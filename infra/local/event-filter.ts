/**
 * Lambda event filtering (FilterCriteria) for the subset our event source uses, applied by the
 * local stream consumer exactly where Lambda applies it: before the handler, on the record in
 * Lambda's shape. See https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 *
 * Supported: nested objects (every key must match), arrays of exact values (strings, numbers,
 * booleans, null: the event value must equal one of them, type included), `{ exists: boolean }`
 * and `{ prefix: string }`. An event value that is an array matches when any element matches.
 */

export type FilterValue =
  | string
  | number
  | boolean
  | null
  | { exists: boolean }
  | { prefix: string }

export interface FilterPattern {
  readonly [key: string]: FilterPattern | readonly FilterValue[]
}

/** Thrown for a pattern that uses filter syntax this module does not implement. */
export class UnsupportedFilterError extends Error {
  override name = 'UnsupportedFilterError'
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function matchesValue(rule: FilterValue, value: unknown): boolean {
  if (rule === null || typeof rule !== 'object') return value === rule
  if ('exists' in rule) return rule.exists === (value !== undefined)
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix)
  throw new UnsupportedFilterError(`unsupported filter rule ${JSON.stringify(rule)}`)
}

function matchesRules(rules: readonly FilterValue[], value: unknown): boolean {
  if (rules.length === 0) throw new UnsupportedFilterError('a filter rule list must not be empty')
  const candidates = Array.isArray(value) ? value : [value]
  return rules.some((rule) => {
    // `exists` speaks about the field, not about each element of an array value.
    if (isObject(rule) && 'exists' in rule) return matchesValue(rule, value)
    return value !== undefined && candidates.some((candidate) => matchesValue(rule, candidate))
  })
}

/**
 * True when `event` (a record in Lambda's shape) matches `pattern`, as Lambda's event filtering
 * would decide. An empty pattern matches everything.
 * @throws UnsupportedFilterError for filter syntax outside the supported subset.
 */
export function matchesFilter(pattern: FilterPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = isObject(event) ? event[key] : undefined
    if (Array.isArray(rule)) return matchesRules(rule as readonly FilterValue[], value)
    if (!isObject(rule)) throw new UnsupportedFilterError(`unsupported filter for ${key}`)
    return isObject(value) && matchesFilter(rule as FilterPattern, value)
  })
}
