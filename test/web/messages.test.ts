import { describe, expect, it } from 'vitest'
import { formatClock, formatWait } from '../../web/src/i18n/format.js'
import { noticeForError, noticeForStatus } from '../../web/src/messages.js'
import type { FlowNotice } from '../../web/src/messages.js'
import { inEnglish } from './support.js'

const now = Date.parse('2030-01-01T00:00:00Z')
/** The notice with its message in English, as the page shows it. */
const english = (notice: FlowNotice | null) =>
  notice && { ...notice, message: inEnglish(notice.message) }
const graphqlError = (errorType: string, errorInfo: Record<string, unknown> | null = null) => ({
  graphQLErrors: [{ message: 'raw text', errorType, errorInfo }],
  networkError: null,
})

describe('Module: messages', () => {
  it('gives every verification status but VERIFIED a message and a next action', () => {
    expect(noticeForStatus('VERIFIED', 0)).toBeNull()
    expect(english(noticeForStatus('INVALID_CODE', 1))).toMatchObject({
      action: 'try-again',
      message: 'That code isn’t right. 1 attempt left.',
    })
    expect(noticeForStatus('INVALID_CODE', 0)).toMatchObject({ action: 'resend' })
    expect(noticeForStatus('EXPIRED', 0)).toMatchObject({ action: 'resend' })
    expect(noticeForStatus('LOCKED', 0)).toMatchObject({ action: 'resend' })
    expect(noticeForStatus('ALREADY_USED', 0)).toMatchObject({ action: 'restart' })
    expect(noticeForStatus('NOT_FOUND', 0)).toMatchObject({ action: 'restart' })
  })

  it('sends a requester whose address bounced or complained back to fix it (ADDRESS_UNDELIVERABLE)', () => {
    const refused = graphqlError('BadRequest', { reason: 'ADDRESS_UNDELIVERABLE' })
    expect(english(noticeForError(refused, 'request', now))).toEqual({
      tone: 'error',
      action: 'fix-input',
      message: 'This address can’t receive our mail. Check it or use another.',
    })
    expect(english(noticeForError(graphqlError('BadRequest'), 'request', now))?.message).toBe(
      'Enter a valid email address, like name@example.com.',
    )
  })

  it('says the whole service is busy for SERVICE_BUSY, not that this address asked too often', () => {
    const busy = graphqlError('TooManyRequests', { retryAfterSeconds: 60, reason: 'SERVICE_BUSY' })
    expect(english(noticeForError(busy, 'request', now))).toEqual({
      tone: 'error',
      action: 'retry',
      message: 'We’re busy right now. Try again in a minute.',
      retryAt: now + 60_000,
    })
  })

  it('turns TooManyRequests into a wait that ends retryAfterSeconds from now', () => {
    expect(
      english(
        noticeForError(graphqlError('TooManyRequests', { retryAfterSeconds: 25 }), 'request', now),
      ),
    ).toEqual({
      tone: 'error',
      action: 'retry',
      message: 'Too many codes requested for this address.',
      retryAt: now + 25_000,
    })
    expect(english(noticeForError(graphqlError('TooManyRequests'), 'verify', now))).toMatchObject({
      message: 'Too many wrong codes for this address.',
      retryAt: now + 30_000,
    })
  })

  it.each([
    ['RESEND_COOLDOWN', 'A code was just sent to this address. You can ask for a new one shortly.'],
    ['SEND_QUOTA', 'Too many codes requested for this address.'],
    ['CONCURRENT_REQUEST', 'Another request for this address is still in progress.'],
  ])('words a refused request by its reason %s', (reason, message) => {
    const refused = graphqlError('TooManyRequests', { retryAfterSeconds: 3, reason })
    expect(english(noticeForError(refused, 'request', now))).toEqual({
      tone: 'error',
      action: 'retry',
      message,
      retryAt: now + 3_000,
    })
  })

  it('words a refused check over the failure budget as too many wrong codes', () => {
    const refused = graphqlError('TooManyRequests', {
      retryAfterSeconds: 600,
      reason: 'FAILURE_BUDGET',
    })
    expect(inEnglish(noticeForError(refused, 'verify', now).message)).toBe(
      'Too many wrong codes for this address.',
    )
  })

  it('words a bad request for the operation that was refused', () => {
    expect(inEnglish(noticeForError(graphqlError('BadRequest'), 'request', now).message)).toContain(
      'valid email address',
    )
    expect(inEnglish(noticeForError(graphqlError('BadRequest'), 'verify', now, 8).message)).toBe(
      'Enter the 8-digit code from the email.',
    )
  })

  it('treats a GraphQL validation error (no errorType) as a bad request', () => {
    const refused = {
      graphQLErrors: [{ message: "Variable 'email' has an invalid value", errorType: null }],
    }
    expect(noticeForError(refused, 'request', now)).toMatchObject({ action: 'fix-input' })
  })

  it('tells a network failure from a server failure', () => {
    const offline = { graphQLErrors: [], networkError: new TypeError('Failed to fetch') }
    const gateway = {
      graphQLErrors: [],
      networkError: { statusCode: 502, result: '<html>Bad gateway</html>' },
    }
    expect(inEnglish(noticeForError(offline, 'request', now).message)).toContain(
      'couldn’t reach the server',
    )
    expect(inEnglish(noticeForError(gateway, 'request', now).message)).toContain(
      'went wrong on our side',
    )
    expect(inEnglish(noticeForError(new Error('boom'), 'verify', now).message)).toContain(
      'went wrong on our side',
    )
  })

  it('reads the errorType of a refused request from the response body', () => {
    const refused = {
      networkError: {
        statusCode: 401,
        result: { errors: [{ errorType: 'UnauthorizedException' }] },
      },
    }
    expect(noticeForError(refused, 'request', now)).toMatchObject({ action: 'reload' })
  })

  it('never passes raw error text through', () => {
    const notice = english(noticeForError(graphqlError('SomethingNew'), 'request', now))
    expect(JSON.stringify(notice)).not.toContain('raw text')
    expect(JSON.stringify(notice)).not.toContain('SomethingNew')
  })

  it('formats waits and clocks in the reader’s language', () => {
    expect([formatWait('en', 25), formatWait('en', 60), formatWait('en', 125)]).toEqual([
      '25 sec',
      '1 min',
      '2 min, 5 sec',
    ])
    expect(formatWait('de', 25)).toBe('25 Sek.')
    expect([formatClock('en', 600), formatClock('en', 59), formatClock('en', 0)]).toEqual([
      '10:00',
      '0:59',
      '0:00',
    ])
  })

  it('words a refusal whose reason is an Object property name like any unknown reason', () => {
    const refused = graphqlError('TooManyRequests', { retryAfterSeconds: 3, reason: 'constructor' })
    expect(inEnglish(noticeForError(refused, 'request', now).message)).toBe(
      'Too many codes requested for this address.',
    )
  })
})
