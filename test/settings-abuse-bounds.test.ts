import { describe, expect, it } from 'vitest'
import { abuseBounds, abuseTableRows, MANY_CLIENTS } from '../infra/settings/abuse-bounds.js'
import { defaultSettings, loadSettings, type OtpSettings } from '../infra/settings.js'

/** Settings with every limit but the ones given out of the way. */
function only(limits: Partial<OtpSettings>): OtpSettings {
  return loadSettings(
    {},
    {
      resendCooldownSeconds: 0,
      maxSendsPerWindow: 1000,
      maxFailuresPerWindow: 10_000,
      maxSendsPerClientPerHour: 100_000,
      maxFailuresPerClientPerHour: 100_000,
      maxSendsPerMailboxPerHour: 100_000,
      maxFailuresPerMailboxPerHour: 100_000,
      ...limits,
    },
  )
}

describe('abuseBounds (the attacker table of docs/security.md)', () => {
  it('takes more than one client to lock an address out with the defaults: one client cannot reach the mailbox caps (S11)', () => {
    expect(abuseBounds(defaultSettings).clientsToLockOut.value).toBeGreaterThan(1)
  })

  it('says one client can lock an address out when a mailbox cap is no higher than one client’s share', () => {
    const settings = {
      ...defaultSettings,
      maxSendsPerMailboxPerHour: defaultSettings.maxSendsPerWindow,
    }

    expect(abuseBounds(settings).clientsToLockOut.value).toBe(1)
  })

  it('bounds the guesses at one address by the mailbox cap however many clients join', () => {
    const settings = only({ maxFailuresPerWindow: 10, maxFailuresPerMailboxPerHour: 40 })

    const bounds = abuseBounds(settings)

    expect(bounds.guessesPerDayOneClient.value).toBe(10 * 25)
    expect(bounds.guessesPerDayManyClients.value).toBe(40 * 25)
    expect(bounds.guessesPerDayManyClients.how).toContain('maxFailuresPerMailboxPerHour')
  })

  it('counts the windows any 24 hours can touch: 25 clock hours, or 2 windows of a day', () => {
    const daily = only({ failureWindowSeconds: 86_400, maxFailuresPerWindow: 3 })

    expect(abuseBounds(daily).guessesPerDayOneClient.value).toBe(2 * 3)
  })

  it('lets the resend cooldown bound the mails when it is the tightest limit', () => {
    const settings = only({ resendCooldownSeconds: 3600, sendWindowSeconds: 3600 })

    expect(abuseBounds(settings).mailsPerDayOneClient).toMatchObject({ value: 25 })
    expect(abuseBounds(settings).mailsPerDayOneClient.how).toContain('resendCooldownSeconds')
  })

  it('bounds guesses by the codes sent when sessions run out before the failure budgets', () => {
    const settings = only({ maxSendsPerWindow: 1, sendWindowSeconds: 3600, maxAttempts: 3 })

    expect(abuseBounds(settings).guessesPerDayOneClient.value).toBe(1 * 25 * 3)
  })

  it(`multiplies one client's share by ${MANY_CLIENTS} until the mailbox cap binds`, () => {
    const settings = only({ maxSendsPerWindow: 2, sendWindowSeconds: 3600 })

    expect(abuseBounds(settings).mailsPerDayManyClients.value).toBe(MANY_CLIENTS * 2 * 25)
  })

  it('gives every row a question, an answer and a reason, and never an empty cell', () => {
    const rows = abuseTableRows(defaultSettings)

    expect(rows.length).toBeGreaterThan(1)
    for (const row of rows) {
      expect(row).toHaveLength(3)
      for (const cell of row) expect(cell.trim()).not.toBe('')
    }
  })
})
