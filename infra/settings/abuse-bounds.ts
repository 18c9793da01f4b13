/**
 * What an attacker can do within the limits (S11, S12), computed from the settings: the odds of
 * guessing a code, the clients it takes to lock an address out, the mail one or many clients can
 * put into one inbox. docs/security.md prints the table for the defaults (`npm run docs:settings`
 * writes it; test/settings-docs.test.ts fails when it is stale).
 *
 * Every limit counts in fixed windows aligned to the epoch: `maxSendsPerWindow` per
 * `sendWindowSeconds`, `maxFailuresPerWindow` per `failureWindowSeconds`, the client and mailbox
 * caps per clock hour. A bound "per day" is for any 24 hours, which can touch one window more than
 * fit in a day (25 clock hours), so it holds wherever the day starts.
 */
import type { OtpSettings } from './declaration.js'

const HOUR = 3600
const DAY = 86_400
/** How many clients the many-client figures assume. */
export const MANY_CLIENTS = 100

/** The most windows of `window` seconds that any span of `span` seconds touches. */
function windowsTouching(span: number, window: number): number {
  return Math.ceil(span / window) + 1
}

/** The most windows of `window` seconds that one clock hour touches (windows nest when one divides the other). */
function windowsInClockHour(window: number): number {
  if (window % HOUR === 0) return 1
  if (HOUR % window === 0) return HOUR / window
  return windowsTouching(HOUR, window)
}

/** Events a cooldown of `cooldown` seconds lets through in `span` seconds (no bound without one). */
function cooldownBound(span: number, cooldown: number): number {
  return cooldown > 0 ? Math.floor(span / cooldown) + 1 : Number.POSITIVE_INFINITY
}

/** A count, and how the limit that decides it gives it (Markdown). */
export interface Bound {
  value: number
  how: string
}

function smallest(candidates: Bound[]): Bound {
  return candidates.reduce((least, next) => (next.value < least.value ? next : least))
}

/** `1234567` as `1,234,567`; infinity as "no limit". */
function grouped(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'no limit'
}

/** The figures of the table, each with the limit that decides it. */
export interface AbuseBounds {
  /** Mails one client can put into one inbox in any 24 hours. */
  mailsPerDayOneClient: Bound
  /** Mails {@link MANY_CLIENTS} clients can put into one inbox in any 24 hours. */
  mailsPerDayManyClients: Bound
  /** Codes one client can have sent to anyone in any 24 hours. */
  mailsPerDayOneClientAllInboxes: Bound
  /** Wrong codes one client can enter for one mailbox in any 24 hours. */
  guessesPerDayOneClient: Bound
  /** Wrong codes {@link MANY_CLIENTS} clients can enter for one mailbox in any 24 hours. */
  guessesPerDayManyClients: Bound
  /** Wrong codes one client can enter for all mailboxes together in any 24 hours. */
  guessesPerDayOneClientAllMailboxes: Bound
  /** Chance that one guess is right, at most (a session never repeats a wrong guess). */
  chancePerGuess: number
  /** Clients needed to keep one mailbox from getting a code, or from checking one, for a clock hour. */
  clientsToLockOut: Bound
  /** Clients needed to hold the global send budget for a clock hour (everyone waits). */
  clientsToHoldSendBudget: Bound
}

/** The bounds the settings put on an attacker (see the module comment for the windows). */
export function abuseBounds(settings: OtpSettings): AbuseBounds {
  const s = settings
  const named = (key: keyof OtpSettings) => `\`${key}\` (${grouped(s[key] as number)})`
  /** `key` events per window of `window` seconds, over any 24 hours. */
  const daily = (key: keyof OtpSettings, window: number): Bound => {
    const windows = windowsTouching(DAY, window)
    const unit = window === HOUR ? 'clock hours' : `windows of ${grouped(window)} s`
    return {
      value: (s[key] as number) * windows,
      how: `${named(key)} in each of ${windows} ${unit}`,
    }
  }
  /** `key` events per window of `window` seconds, within one clock hour. */
  const hourly = (key: keyof OtpSettings, window: number): Bound => {
    const windows = windowsInClockHour(window)
    return {
      value: (s[key] as number) * windows,
      how: windows === 1 ? named(key) : `${named(key)} in each of ${windows} windows`,
    }
  }
  const cooldown = (span: number): Bound => ({
    value: cooldownBound(span, s.resendCooldownSeconds),
    how: `one per ${named('resendCooldownSeconds')} s`,
  })
  const times = (bound: Bound, factor: number, what: string): Bound => ({
    value: bound.value * factor,
    how: `${grouped(factor)} ${what} × ${bound.how}`,
  })
  const sessions = (mails: Bound): Bound => ({
    value: mails.value * s.maxAttempts,
    how: `${named('maxAttempts')} per code, ${grouped(mails.value)} codes: ${mails.how}`,
  })

  const mailsOneClient = smallest([
    daily('maxSendsPerWindow', s.sendWindowSeconds),
    cooldown(DAY),
    daily('maxSendsPerClientPerHour', HOUR),
    daily('maxSendsPerMailboxPerHour', HOUR),
  ])
  const mailsManyClients = smallest([
    times(mailsOneClient, MANY_CLIENTS, 'IPs'),
    daily('maxSendsPerMailboxPerHour', HOUR),
  ])
  // Each code is checked at most maxAttempts times, so the mails bound the guesses too.
  const guessesOneClient = smallest([
    daily('maxFailuresPerWindow', s.failureWindowSeconds),
    daily('maxFailuresPerClientPerHour', HOUR),
    daily('maxFailuresPerMailboxPerHour', HOUR),
    sessions(mailsOneClient),
  ])
  const guessesManyClients = smallest([
    times(guessesOneClient, MANY_CLIENTS, 'IPs'),
    daily('maxFailuresPerMailboxPerHour', HOUR),
    sessions(mailsManyClients),
  ])
  const sendsPerHour = smallest([
    hourly('maxSendsPerWindow', s.sendWindowSeconds),
    cooldown(HOUR),
    hourly('maxSendsPerClientPerHour', HOUR),
  ])
  const failuresPerHour = smallest([
    hourly('maxFailuresPerWindow', s.failureWindowSeconds),
    hourly('maxFailuresPerClientPerHour', HOUR),
    sessions(sendsPerHour),
  ])
  const clientsFor = (cap: keyof OtpSettings, perClient: Bound, what: string): Bound => ({
    value: Math.ceil((s[cap] as number) / perClient.value),
    how: `${named(cap)} ÷ ${grouped(perClient.value)} ${what} per IP (${perClient.how})`,
  })
  return {
    mailsPerDayOneClient: mailsOneClient,
    mailsPerDayManyClients: mailsManyClients,
    mailsPerDayOneClientAllInboxes: daily('maxSendsPerClientPerHour', HOUR),
    guessesPerDayOneClient: guessesOneClient,
    guessesPerDayManyClients: guessesManyClients,
    guessesPerDayOneClientAllMailboxes: daily('maxFailuresPerClientPerHour', HOUR),
    chancePerGuess: 1 / (10 ** s.codeLength - (s.maxAttempts - 1)),
    clientsToLockOut: smallest([
      clientsFor('maxSendsPerMailboxPerHour', sendsPerHour, 'codes'),
      clientsFor('maxFailuresPerMailboxPerHour', failuresPerHour, 'wrong codes'),
    ]),
    clientsToHoldSendBudget: {
      value: Math.ceil((s.maxSendsPerMinute * 60) / s.maxSendsPerClientPerHour),
      how: `60 × ${named('maxSendsPerMinute')} ÷ ${named('maxSendsPerClientPerHour')}`,
    },
  }
}

/** The chance of `guesses` guesses finding the code, at most: as a percentage and as "1 in N". */
function chance(guesses: number, perGuess: number): string {
  const p = Math.min(1, guesses * perGuess)
  const oneIn = Number((1 / p).toPrecision(2))
  return `${Number((p * 100).toPrecision(2))} % (1 in ${grouped(oneIn)})`
}

/** Header and rows of the table in docs/security.md; cells as Markdown text. */
export function abuseTableRows(settings: OtpSettings): string[][] {
  const b = abuseBounds(settings)
  const many = `${MANY_CLIENTS} IPs`
  const guesses = (bound: Bound) => `${grouped(bound.value)} wrong codes: ${bound.how}`
  const mails = (bound: Bound) => `${grouped(bound.value)} codes: ${bound.how}`
  return [
    ['an attacker tries to', 'at most', 'because'],
    [
      'guess the code of one address within a day, from 1 IP',
      chance(b.guessesPerDayOneClient.value, b.chancePerGuess),
      guesses(b.guessesPerDayOneClient),
    ],
    [
      `guess the code of one address within a day, from ${many}`,
      chance(b.guessesPerDayManyClients.value, b.chancePerGuess),
      guesses(b.guessesPerDayManyClients),
    ],
    [
      'guess the code of any one of many addresses within a day, from 1 IP',
      chance(b.guessesPerDayOneClientAllMailboxes.value, b.chancePerGuess),
      guesses(b.guessesPerDayOneClientAllMailboxes),
    ],
    [
      'lock one address out for an hour (no code sent to it, or none checked)',
      `needs ${grouped(b.clientsToLockOut.value)} IPs`,
      b.clientsToLockOut.how,
    ],
    [
      'put codes into one inbox within a day, from 1 IP',
      grouped(b.mailsPerDayOneClient.value),
      mails(b.mailsPerDayOneClient),
    ],
    [
      `put codes into one inbox within a day, from ${many}`,
      grouped(b.mailsPerDayManyClients.value),
      mails(b.mailsPerDayManyClients),
    ],
    [
      'send codes to any addresses within a day, from 1 IP',
      grouped(b.mailsPerDayOneClientAllInboxes.value),
      mails(b.mailsPerDayOneClientAllInboxes),
    ],
    [
      'hold the global send budget for an hour (everyone waits)',
      `needs ${grouped(b.clientsToHoldSendBudget.value)} IPs`,
      b.clientsToHoldSendBudget.how,
    ],
  ]
}
