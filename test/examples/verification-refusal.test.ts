import { describe, expect, it } from 'vitest'
import type { VerifiedEmail } from '../../examples/redeem-verification.js'
import { verificationRefusal } from '../../examples/two-step/server/verification-refusal.js'

const attempt = { email: 'ada@example.com', nonce: 'q3Xv_9-LmZ0aB1cD2eF3gH' }
const verified = (overrides: Partial<VerifiedEmail> = {}): VerifiedEmail => ({
  email: 'ada@example.com',
  sessionId: '0123456789abcdef0123456789abcdef',
  verifiedAt: '2030-01-01T12:00:00.000Z',
  nonce: 'q3Xv_9-LmZ0aB1cD2eF3gH',
  ...overrides,
})

describe('verificationRefusal (the binding rule of a relying backend)', () => {
  it('accepts a verification of the attempt’s address that carries the attempt’s nonce', () => {
    expect(verificationRefusal(attempt, verified())).toBeNull()
  })

  it('refuses a token that redeemed nothing: unknown, expired or replayed', () => {
    expect(verificationRefusal(attempt, null)).toBe('TOKEN_SPENT_OR_EXPIRED')
  })

  it('refuses another address, even with the attempt’s nonce', () => {
    expect(verificationRefusal(attempt, verified({ email: 'eve@example.com' }))).toBe(
      'OTHER_ADDRESS',
    )
  })

  it.each([
    ['another attempt’s nonce', 'Zz9_other-attempt-nonce'],
    ['the nonce in another case', attempt.nonce.toUpperCase()],
    ['a prefix of the nonce', attempt.nonce.slice(0, -1)],
    ['no nonce at all', null],
  ])('refuses the attempt’s address with %s', (_case, nonce) => {
    expect(verificationRefusal(attempt, verified({ nonce }))).toBe('OTHER_ATTEMPT')
  })
})
