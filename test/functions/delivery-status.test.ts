import { describe, expect, it } from 'vitest'
import {
  deliveryStatusWriter,
  type DeliveryTransition,
} from '../../functions/shared/delivery-status.js'
import { DELIVERY_STATUS_RANK } from '../../infra/model.js'
import { newSession, putSession, readSession, useEmailEnv } from './fixtures/email-env.js'

const env = useEmailEnv()

type Step = Omit<DeliveryTransition, 'sessionId'>

const sent: Step = { status: 'SENT', at: 1_000 }
const delayed: Step = { status: 'DELAYED', at: 2_000, reason: 'MAILBOX_FULL' }
const delivered: Step = { status: 'DELIVERED', at: 3_000 }
const complained: Step = { status: 'COMPLAINED', at: 4_000, reason: 'MARKED_AS_SPAM' }
const bounced: Step = { status: 'BOUNCED', at: 3_500, reason: 'MAILBOX_DOES_NOT_EXIST' }
const failed: Step = { status: 'FAILED', at: 900, reason: 'MESSAGE_REJECTED' }

/** Every order of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  )
}

/** A fresh session, the writer over it, and the transitions the hook was called with. */
async function prepared() {
  const session = newSession()
  await putSession(env(), session)
  const announced: DeliveryTransition[] = []
  const writer = deliveryStatusWriter(env().dynamodb, env().tableName, async (transition) => {
    announced.push(transition)
  })
  const record = (step: Step) => writer.record({ sessionId: session.sessionId, ...step })
  const stored = async () => {
    const item = await readSession(env(), session.sessionId)
    return {
      status: item?.deliveryStatus,
      at: item?.deliveryStatusAt,
      reason: item?.deliveryReason,
    }
  }
  return { session, announced, record, stored }
}

describe('Shared: the delivery state writer', () => {
  it('keeps the time of DELIVERED when a complaint moves the state on, and records none without a delivery', async () => {
    const deliveredFirst = await prepared()
    for (const step of [sent, delivered, complained]) await deliveredFirst.record(step)
    const item = await readSession(env(), deliveredFirst.session.sessionId)
    expect(item).toMatchObject({ deliveryStatus: 'COMPLAINED', deliveredAt: 3_000 })

    const bouncedOnly = await prepared()
    for (const step of [sent, bounced]) await bouncedOnly.record(step)
    expect((await readSession(env(), bouncedOnly.session.sessionId))?.deliveredAt).toBeUndefined()
  })

  it('moves QUEUED → SENT → DELAYED → DELIVERED → COMPLAINED in order, announcing each step once', async () => {
    const { announced, record, stored } = await prepared()

    for (const step of [sent, delayed, delivered, complained]) expect(await record(step)).toBe(true)

    expect(await stored()).toEqual({ status: 'COMPLAINED', at: 4_000, reason: 'MARKED_AS_SPAM' })
    expect(announced.map((t) => t.status)).toEqual(['SENT', 'DELAYED', 'DELIVERED', 'COMPLAINED'])
  })

  it.each(permutations([sent, delayed, delivered, complained]).map((order) => [order]))(
    'ends COMPLAINED whatever the order of Send, Delay, Delivery and Complaint (%#), announcing only forward steps',
    async (order) => {
      const { announced, record, stored } = await prepared()

      for (const step of order) await record(step)

      expect(await stored()).toEqual({ status: 'COMPLAINED', at: 4_000, reason: 'MARKED_AS_SPAM' })
      const ranks = announced.map((t) => DELIVERY_STATUS_RANK[t.status])
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
      expect(new Set(ranks).size).toBe(ranks.length)
    },
  )

  it('ignores the same event delivered twice: the second write changes nothing and is not announced', async () => {
    const { announced, record, stored } = await prepared()

    expect(await record(delayed)).toBe(true)
    expect(await record({ ...delayed, at: 9_999, reason: 'SPAM_DETECTED' })).toBe(false)

    expect(await stored()).toEqual({ status: 'DELAYED', at: 2_000, reason: 'MAILBOX_FULL' })
    expect(announced).toHaveLength(1)
  })

  it('lets a DELAYED mail still become DELIVERED, and drops the delay reason', async () => {
    const { record, stored } = await prepared()

    await record(delayed)
    await record(delivered)

    expect(await stored()).toEqual({ status: 'DELIVERED', at: 3_000, reason: undefined })
  })

  it.each([
    ['BOUNCED', bounced],
    ['COMPLAINED', complained],
    ['FAILED', failed],
  ])('never moves a %s session back or sideways', async (_name, final) => {
    const { announced, record, stored } = await prepared()

    await record(final)
    for (const late of [sent, delayed, delivered, bounced, complained, failed])
      expect(await record(late)).toBe(false)

    expect(await stored()).toEqual({ status: final.status, at: final.at, reason: final.reason })
    expect(announced).toHaveLength(1)
  })

  it('lets a delivered mail still bounce (an ISP may accept it first and bounce it later)', async () => {
    const { record, stored } = await prepared()

    await record(delivered)
    expect(await record(bounced)).toBe(true)

    expect(await stored()).toMatchObject({ status: 'BOUNCED', reason: 'MAILBOX_DOES_NOT_EXIST' })
  })

  it('settles on one outcome when events race each other', async () => {
    const { announced, record, stored } = await prepared()

    const results = await Promise.all([sent, delivered, delivered, delayed, sent].map(record))

    expect(await stored()).toMatchObject({ status: 'DELIVERED' })
    expect(results.filter(Boolean).length).toBe(announced.length)
    expect(announced.filter((t) => t.status === 'DELIVERED')).toHaveLength(1)
  })

  it('never creates an item for a session that does not exist (expired and deleted, or never ours)', async () => {
    const announced: DeliveryTransition[] = []
    const writer = deliveryStatusWriter(env().dynamodb, env().tableName, async (t) => {
      announced.push(t)
    })
    const missing = newSession()

    expect(await writer.record({ sessionId: missing.sessionId, ...delivered })).toBe(false)

    expect(await readSession(env(), missing.sessionId)).toBeUndefined()
    expect(announced).toEqual([])
  })
})
