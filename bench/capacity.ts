/**
 * Counts the DynamoDB capacity units a client consumes, as DynamoDB reports them: every request
 * is sent with `ReturnConsumedCapacity: 'TOTAL'` and the units in the response are added up,
 * as reads or writes by the kind of command.
 *
 * DynamoDB Local under-reports transactions: it charges a TransactWriteItems call 2 units per KB
 * of all its items together, where DynamoDB charges 2 units per KB of each item. The meter
 * therefore also keeps `billedWriteUnits`, with each transaction item priced on its own.
 */
import type {
  AttributeValue,
  ConsumedCapacity,
  DynamoDBClient,
  TransactWriteItem,
} from '@aws-sdk/client-dynamodb'

export interface CapacityTally {
  /** Read units as reported. */
  readUnits: number
  /** Write units as reported. */
  writeUnits: number
  /** Write units as DynamoDB bills them: transaction items priced one by one (see the module note). */
  billedWriteUnits: number
  /** Requests that reported capacity. */
  requests: number
}

export interface CapacityMeter {
  /** The units counted since the meter was attached or last reset. */
  read(): CapacityTally
  reset(): void
}

const READ_COMMANDS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
  'QueryCommand',
  'ScanCommand',
])
const KB = 1024

const empty = (): CapacityTally => ({
  readUnits: 0,
  writeUnits: 0,
  billedWriteUnits: 0,
  requests: 0,
})

/** Attaches a meter to `client`; every later request on it reports and counts its capacity. */
export function meterCapacity(client: DynamoDBClient): CapacityMeter {
  let tally = empty()
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        ReturnConsumedCapacity?: string
        TransactItems?: TransactWriteItem[]
      }
      input.ReturnConsumedCapacity = 'TOTAL'
      const result = await next(args)
      const reported = (
        result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }
      ).ConsumedCapacity
      if (reported === undefined) return result
      const units = [reported].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0)
      const command = context.commandName ?? ''
      const isRead = READ_COMMANDS.has(command)
      const billed =
        command === 'TransactWriteItemsCommand'
          ? Math.max(units, transactionUnits(input.TransactItems ?? []))
          : units
      tally = {
        readUnits: tally.readUnits + (isRead ? units : 0),
        writeUnits: tally.writeUnits + (isRead ? 0 : units),
        billedWriteUnits: tally.billedWriteUnits + (isRead ? 0 : billed),
        requests: tally.requests + 1,
      }
      return result
    },
    { step: 'initialize', name: 'benchCapacityMeter' },
  )
  return {
    read: () => ({ ...tally }),
    reset: () => {
      tally = empty()
    },
  }
}

/**
 * 2 units per KB of each item. A Put's size is computed from the item; an Update, Delete or
 * ConditionCheck is taken as one KB or less (true of every item this service writes: the largest,
 * a session, is a few hundred bytes).
 */
function transactionUnits(items: readonly TransactWriteItem[]): number {
  return items.reduce((sum, item) => {
    const bytes = item.Put?.Item ? itemSizeBytes(item.Put.Item) : KB
    return sum + 2 * Math.max(1, Math.ceil(bytes / KB))
  }, 0)
}

/** An item's size as DynamoDB counts it: attribute names plus values (numbers approximated). */
export function itemSizeBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value),
    0,
  )
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S)
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1
  if (value.B !== undefined) return value.B.length
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0)
  if (value.M !== undefined) return 3 + itemSizeBytes(value.M) + Object.keys(value.M).length
  if (value.SS !== undefined) return value.SS.reduce((sum, v) => sum + Buffer.byteLength(v), 0)
  if (value.NS !== undefined)
    return value.NS.reduce((sum, v) => sum + Math.ceil(v.length / 2) + 1, 0)
  return 0
}
