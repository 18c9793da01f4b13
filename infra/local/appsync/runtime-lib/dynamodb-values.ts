/**
 * `util.dynamodb`: plain values to DynamoDB's typed JSON, as APPSYNC_JS produces it. Numbers stay
 * JSON numbers (`{ N: 1234 }`, not `{ N: '1234' }`); the data source turns them into strings
 * before calling DynamoDB, as AppSync's does. Lists are always `L`, never sets.
 * Runs inside the sandbox: plain ECMAScript only.
 */

type Typed = Record<string, unknown>

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Converts any JSON-like value; `undefined` entries of maps are dropped, as JSON would. */
export function toDynamoDB(value: unknown): Typed | null {
  if (value === undefined) return null
  if (value === null) return { NULL: null }
  if (typeof value === 'string') return { S: value }
  if (typeof value === 'number') return { N: value }
  if (typeof value === 'boolean') return { BOOL: value }
  if (Array.isArray(value)) return { L: value.map((entry) => toDynamoDB(entry) ?? { NULL: null }) }
  if (isPlainObject(value)) return { M: toMapValues(value) }
  return { S: String(value) }
}

/** A copy of the map with each value converted: the inside of `toMap(value).M`. */
export function toMapValues(value: unknown): Record<string, Typed> | null {
  if (!isPlainObject(value)) return null
  const out: Record<string, Typed> = {}
  for (const key of Object.keys(value)) {
    const converted = toDynamoDB(value[key])
    if (converted !== null) out[key] = converted
  }
  return out
}

const orNull =
  <T>(convert: (value: T) => Typed) =>
  (value: T | null | undefined): Typed | null =>
    value === null || value === undefined ? null : convert(value)

/** The `util.dynamodb` object. */
export function createDynamodbUtil() {
  return {
    toDynamoDB,
    toMapValues,
    toMap: (value: unknown) => {
      const values = toMapValues(value)
      return values === null ? null : { M: values }
    },
    toList: (value: unknown) => (Array.isArray(value) ? toDynamoDB(value) : null),
    toString: orNull((value: string) => ({ S: value })),
    toStringSet: orNull((value: string[]) => ({ SS: value })),
    toNumber: orNull((value: number) => ({ N: value })),
    toNumberSet: orNull((value: number[]) => ({ NS: value })),
    toBinary: orNull((value: string) => ({ B: value })),
    toBinarySet: orNull((value: string[]) => ({ BS: value })),
    toBoolean: orNull((value: boolean) => ({ BOOL: value })),
    toNull: () => ({ NULL: null }),
    toS3Object: (key: string, bucket: string, region: string, version?: string) => {
      const s3: Record<string, string> = { key, bucket, region }
      if (version !== undefined) s3.version = version
      return { S: JSON.stringify({ s3 }) }
    },
    fromS3ObjectJson: (json: string) => {
      const parsed = JSON.parse(json) as { s3?: unknown }
      return parsed.s3
    },
  }
}
