/**
 * How the page follows a session's delivery state: subscribe then read once, again after a drop,
 * read now and then when real-time cannot be had, never backwards, nothing after a final state.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchDelivery } from '../../web/src/delivery/watch-delivery.js'
import type { Delivery, DeliveryChannel } from '../../web/src/delivery/watch-delivery.js'

type Handlers = Parameters<NonNullable<DeliveryChannel['subscribe']>>[0]

/** A channel whose reads answer `state` and whose subscriptions the test drives. */
function fakeChannel(realtime = true) {
  const state: { now: Delivery | null } = { now: null }
  const subscriptions: { handlers: Handlers; stopped: boolean }[] = []
  let reads = 0
  const channel: DeliveryChannel = {
    read: async () => {
      reads += 1
      return state.now
    },
    ...(realtime
      ? {
          subscribe: (handlers: Handlers) => {
            const subscription = { handlers, stopped: false }
            subscriptions.push(subscription)
            return () => (subscription.stopped = true)
          },
        }
      : {}),
  }
  return { channel, state, subscriptions, reads: () => reads }
}

const timing = { pollMs: 4_000, reconnectMs: 1_000, maxReconnects: 2, quietReadMs: 15_000 }

beforeEach(() => void vi.useFakeTimers())
afterEach(() => void vi.useRealTimers())

describe('Function: watchDelivery', () => {
  it('reads once when the subscription is acknowledged, then shows pushed states in order, each once', async () => {
    const { channel, state, subscriptions, reads } = fakeChannel()
    const shown: string[] = []
    watchDelivery(channel, (d) => shown.push(d.status), timing)
    state.now = { status: 'SENT' }

    subscriptions[0]?.handlers.ready()
    await vi.advanceTimersByTimeAsync(0)
    subscriptions[0]?.handlers.update({ status: 'SENT' })
    subscriptions[0]?.handlers.update({ status: 'DELIVERED' })

    expect(reads()).toBe(1)
    expect(shown).toEqual(['SENT', 'DELIVERED'])
  })

  it('never moves back: a late read of SENT after a pushed DELIVERED is ignored', async () => {
    const { channel, state, subscriptions } = fakeChannel()
    const shown: string[] = []
    watchDelivery(channel, (d) => shown.push(d.status), timing)
    state.now = { status: 'SENT' }
    subscriptions[0]?.handlers.update({ status: 'DELIVERED' })

    subscriptions[0]?.handlers.ready()
    await vi.advanceTimersByTimeAsync(0)

    expect(shown).toEqual(['DELIVERED'])
  })

  it('subscribes again after a drop and reads once more when acknowledged', async () => {
    const { channel, state, subscriptions, reads } = fakeChannel()
    const shown: string[] = []
    watchDelivery(channel, (d) => shown.push(d.status), timing)
    subscriptions[0]?.handlers.ready()
    await vi.advanceTimersByTimeAsync(0)

    subscriptions[0]?.handlers.drop()
    state.now = { status: 'BOUNCED', reason: 'MAILBOX_DOES_NOT_EXIST' }
    await vi.advanceTimersByTimeAsync(timing.reconnectMs)
    subscriptions[1]?.handlers.ready()
    await vi.advanceTimersByTimeAsync(0)

    expect(subscriptions).toHaveLength(2)
    expect(reads()).toBe(2)
    expect(shown).toEqual(['BOUNCED'])
    expect(subscriptions[1]?.stopped).toBe(true)
  })

  it('reads every pollMs when the first subscription never connects, and stops at a final state', async () => {
    const { channel, state, subscriptions, reads } = fakeChannel()
    const shown: string[] = []
    watchDelivery(channel, (d) => shown.push(d.status), timing)

    subscriptions[0]?.handlers.drop()
    await vi.advanceTimersByTimeAsync(0)
    state.now = { status: 'DELAYED' }
    await vi.advanceTimersByTimeAsync(timing.pollMs)
    state.now = { status: 'FAILED' }
    await vi.advanceTimersByTimeAsync(timing.pollMs)
    await vi.advanceTimersByTimeAsync(timing.pollMs * 3)

    expect(subscriptions).toHaveLength(1)
    expect(shown).toEqual(['DELAYED', 'FAILED'])
    expect(reads()).toBe(3)
  })

  it('polls from the start on a channel without real-time', async () => {
    const { channel, state, reads } = fakeChannel(false)
    const shown: string[] = []
    const stop = watchDelivery(channel, (d) => shown.push(d.status), timing)
    state.now = { status: 'QUEUED' }
    await vi.advanceTimersByTimeAsync(timing.pollMs * 2)
    stop()
    await vi.advanceTimersByTimeAsync(timing.pollMs * 3)

    expect(reads()).toBe(3)
    expect(shown).toEqual(['QUEUED'])
  })

  it('reads again after quietReadMs without news while below DELIVERED (a publish that failed), not after', async () => {
    const { channel, state, subscriptions, reads } = fakeChannel()
    const shown: string[] = []
    watchDelivery(channel, (d) => shown.push(d.status), timing)
    state.now = { status: 'SENT' }
    subscriptions[0]?.handlers.ready()
    await vi.advanceTimersByTimeAsync(0)

    state.now = { status: 'DELIVERED' }
    await vi.advanceTimersByTimeAsync(timing.quietReadMs)
    expect(shown).toEqual(['SENT', 'DELIVERED'])
    expect(reads()).toBe(2)

    await vi.advanceTimersByTimeAsync(timing.quietReadMs * 4)
    expect(reads()).toBe(2)
  })

  it('falls back to reading after more failed reconnects in a row than allowed', async () => {
    const { channel, subscriptions, reads } = fakeChannel()
    watchDelivery(channel, () => undefined, timing)
    subscriptions[0]?.handlers.ready()
    await vi.advanceTimersByTimeAsync(0)
    subscriptions[0]?.handlers.drop()
    for (let i = 1; i <= timing.maxReconnects + 1; i += 1) {
      await vi.advanceTimersByTimeAsync(timing.reconnectMs)
      subscriptions[i]?.handlers.drop()
    }
    const readsBefore = reads()
    await vi.advanceTimersByTimeAsync(timing.pollMs * 2)

    expect(subscriptions).toHaveLength(timing.maxReconnects + 2)
    expect(reads()).toBeGreaterThan(readsBefore)
  })
})
