/**
 * How the page follows one session's delivery state (S14), independent of Vue and of the network:
 * subscribe, then read the state once (so an update published before the subscription started is
 * not missed); when the subscription drops, subscribe again and read once more; when real-time
 * cannot be had at all, read now and then instead. Updates never move the shown state backwards
 * (a read and a push may cross), and nothing more is fetched once the state is final.
 */
import type { OtpDeliveryStatus } from './generated.js'

export interface Delivery {
  status: OtpDeliveryStatus
  reason?: string | null
}

/** What the watcher needs from the API. */
export interface DeliveryChannel {
  /** The current state, or null for an unknown session. */
  read(): Promise<Delivery | null>
  /**
   * Starts a subscription: `ready` once the server acknowledged it, `update` per pushed state,
   * `drop` once if it ends with an error (a failed connection or a lost one). Returns the stop.
   * Absent when the page has no real-time endpoint.
   */
  subscribe?(handlers: {
    ready(): void
    update(delivery: Delivery): void
    drop(): void
  }): () => void
}

export interface WatchTiming {
  /** Between two reads when real-time is unavailable. */
  pollMs: number
  /** Before subscribing again after a drop. */
  reconnectMs: number
  /** Failed subscriptions in a row, after one that worked, before falling back to reading. */
  maxReconnects: number
  /**
   * While subscribed and not yet DELIVERED (or final), read once more after this long without news:
   * a publish the sender could not make (it logs it and moves on) still reaches the page.
   */
  quietReadMs: number
}

export const defaultTiming: WatchTiming = {
  pollMs: 4_000,
  reconnectMs: 1_000,
  maxReconnects: 3,
  quietReadMs: 15_000,
}

// As the API orders them (infra/model.ts DELIVERY_STATUS_RANK): a lower rank never follows a higher.
const rank: Record<OtpDeliveryStatus, number> = {
  QUEUED: 0,
  SENT: 1,
  DELAYED: 2,
  DELIVERED: 3,
  BOUNCED: 4,
  COMPLAINED: 4,
  FAILED: 4,
}

/** `BOUNCED`, `COMPLAINED` and `FAILED` end a mail's story. */
export const isFinal = (status: OtpDeliveryStatus): boolean => rank[status] === 4

/**
 * Follows the session through `channel` and calls `show` with each newer state, once per state.
 * Returns the stop (unsubscribes and cancels any pending read).
 */
export function watchDelivery(
  channel: DeliveryChannel,
  show: (delivery: Delivery) => void,
  timing: WatchTiming = defaultTiming,
): () => void {
  let shownRank = -1
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let quiet: ReturnType<typeof setTimeout> | undefined
  let unsubscribe: (() => void) | undefined
  let everReady = false
  let failures = 0

  const stop = () => {
    stopped = true
    clearTimeout(timer)
    clearTimeout(quiet)
    unsubscribe?.()
    unsubscribe = undefined
  }
  const accept = (delivery: Delivery | null) => {
    if (!delivery || stopped || rank[delivery.status] <= shownRank) return
    shownRank = rank[delivery.status]
    show(delivery)
    if (isFinal(delivery.status)) stop()
    else armQuietRead()
  }
  const read = () => channel.read().then(accept, () => undefined)
  // Re-armed by every state shown; DELIVERED and later need no safety net (only COMPLAINED follows).
  const armQuietRead = () => {
    clearTimeout(quiet)
    if (!stopped && unsubscribe && shownRank < rank.DELIVERED)
      quiet = setTimeout(() => void read().then(armQuietRead), timing.quietReadMs)
  }
  const later = (next: () => void, ms: number) => {
    if (!stopped) timer = setTimeout(next, ms)
  }
  const poll = () => void read().then(() => later(poll, timing.pollMs))
  const connect = (subscribe: NonNullable<DeliveryChannel['subscribe']>) => {
    let ready = false
    unsubscribe = subscribe({
      ready() {
        ready = everReady = true
        failures = 0
        void read().then(armQuietRead)
      },
      update: accept,
      drop() {
        unsubscribe = undefined
        clearTimeout(quiet)
        if (stopped) return
        failures = ready ? 0 : failures + 1
        // Never connected, or the connection keeps failing: real-time is not to be had here.
        if (!everReady || failures > timing.maxReconnects) poll()
        else later(() => connect(subscribe), timing.reconnectMs)
      },
    })
  }

  if (channel.subscribe) connect(channel.subscribe)
  else poll()
  return stop
}
