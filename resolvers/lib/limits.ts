import { failureWindowKey, sendWindowKey } from '../../infra/model'
import { rateLimited, type Refusal } from './errors'
import { fixedWindow, secondsUntil, type Policy } from './policy'

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

/** A limit as a refusal names it: `errorInfo.reason`, the message, and when it lets requests through again. */
export interface Limit {
  reason: string
  message: string
  endsAt: number
}

/** A fixed-window counter a request counts on: its key and its cap. */
export interface WindowLimit extends Limit {
  pk: string
  max: number
}

/**
 * The refusal for the limits that refused (`refused[i]` for `limits[i]`, most specific first), or
 * null: the first names the reason, and the wait lasts until every one of them lets requests through.
 */
export function limitRefusal(limits: Limit[], refused: boolean[], now: number): Refusal | null {
  const hit = limits.filter((_limit, index) => refused[index])
  const first = hit[0]
  if (!first) return null
  const endsAt = Math.max(...hit.map((limit) => limit.endsAt))
  return rateLimited(first.message, secondsUntil(endsAt, now), first.reason)
}

/**
 * The send limits of one request (S11, S12): what the requester may ask for this mailbox
 * (`SEND_QUOTA`), what it may ask across all mailboxes (`CLIENT_SEND_QUOTA`), and what the mailbox
 * may receive from everyone (`MAILBOX_SEND_QUOTA`).
 */
export function sendLimits(policy: Policy, client: string, mailbox: string, now: number) {
  const pair = fixedWindow(now, policy.sendWindowMs)
  const hour = fixedWindow(now, HOUR_MS)
  const limits: WindowLimit[] = [
    {
      pk: sendWindowKey({ kind: 'pair', client, mailbox }, pair.index),
      max: policy.maxSendsPerWindow,
      endsAt: pair.endsAt,
      reason: 'SEND_QUOTA',
      message: 'Too many codes were requested for this address; wait before asking for another.',
    },
    {
      pk: sendWindowKey({ kind: 'client', client }, hour.index),
      max: policy.maxSendsPerClientPerHour,
      endsAt: hour.endsAt,
      reason: 'CLIENT_SEND_QUOTA',
      message: 'Too many codes were requested from your network; wait before asking for another.',
    },
    {
      pk: sendWindowKey({ kind: 'mailbox', mailbox }, hour.index),
      max: policy.maxSendsPerMailboxPerHour,
      endsAt: hour.endsAt,
      reason: 'MAILBOX_SEND_QUOTA',
      message: 'This address has been sent too many codes; wait before asking for another.',
    },
  ]
  return limits
}

/**
 * The failed-check limits of one check (S3, S11, S12): the requester's misses for this mailbox
 * (`FAILURE_BUDGET`), its misses across all mailboxes (`CLIENT_FAILURE_BUDGET`), and everyone's
 * misses for the mailbox (`MAILBOX_FAILURE_BUDGET`), which bounds guessing however many clients join.
 */
export function failureLimits(policy: Policy, client: string, mailbox: string, now: number) {
  const pair = fixedWindow(now, policy.failureWindowMs)
  const hour = fixedWindow(now, HOUR_MS)
  const limits: WindowLimit[] = [
    {
      pk: failureWindowKey({ kind: 'pair', client, mailbox }, pair.index),
      max: policy.maxFailuresPerWindow,
      endsAt: pair.endsAt,
      reason: 'FAILURE_BUDGET',
      message: 'Too many wrong codes for this address; wait before trying again.',
    },
    {
      pk: failureWindowKey({ kind: 'client', client }, hour.index),
      max: policy.maxFailuresPerClientPerHour,
      endsAt: hour.endsAt,
      reason: 'CLIENT_FAILURE_BUDGET',
      message: 'Too many wrong codes from your network; wait before trying again.',
    },
    {
      pk: failureWindowKey({ kind: 'mailbox', mailbox }, hour.index),
      max: policy.maxFailuresPerMailboxPerHour,
      endsAt: hour.endsAt,
      reason: 'MAILBOX_FAILURE_BUDGET',
      message: 'Too many wrong codes were entered for this address; wait before trying again.',
    },
  ]
  return limits
}

/** The global send budget of the current minute (S13): refused as `SERVICE_BUSY`. */
export function globalSendLimit(policy: Policy, now: number): WindowLimit {
  const minute = fixedWindow(now, MINUTE_MS)
  return {
    pk: sendWindowKey({ kind: 'global' }, minute.index),
    max: policy.maxSendsPerMinute,
    endsAt: minute.endsAt,
    reason: 'SERVICE_BUSY',
    message: 'The service is sending too many codes right now; try again in a minute.',
  }
}
