import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { hashAddress } from '../../functions/publish-domain-events/domain-events.js'
import { domainEvents } from '../../infra/api.js'
import { readInbox } from '../../infra/local/ses-local.js'
import { REDEEM, REQUEST_OTP, VERIFY_OTP, readSession, uniqueEmail } from '../otp/operations.js'
import { graphql, signedGraphql, useLocalStack } from '../support/local-stack.js'

const dir = mkdtempSync(join(tmpdir(), 'otp-events-'))
const file = join(dir, 'events.jsonl')
const printed: string[] = []

afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('Local stack: the domain event log', () => {
  const local = useLocalStack({ events: { file, print: (line) => printed.push(line) } })

  it('receives the events of one flow in order (requested, delivered, verified, redeemed) with neither address, code nor token', async () => {
    // Prepare
    const stack = local.stack()
    const email = uniqueEmail('events')

    // Act: requestOtp → the mail is delivered → verifyOtp → a backend redeems.
    const requested = await graphql(stack, REQUEST_OTP, { email })
    const { sessionId } = requested.data.requestOtp as { sessionId: string }
    const code = (await readSession(stack, sessionId))?.code as string
    await until('the mail', async () =>
      (await readInbox(stack.urls.ses!)).find((m) => m.destination.to.includes(email)),
    )
    await until('DELIVERED', async () =>
      (await readSession(stack, sessionId))?.deliveryStatus === 'DELIVERED' ? true : undefined,
    )
    const verified = await graphql(stack, VERIFY_OTP, { sessionId, code })
    const token = verified.data.verifyOtp.verificationToken as string
    const redeemed = await signedGraphql(stack, REDEEM, { token })
    expect(redeemed.data.redeemVerification).toMatchObject({ sessionId })
    await stack.events?.drained()

    // Assess
    const text = readFileSync(file, 'utf8')
    const lines = text
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            source: string
            'detail-type': string
            detail: { sessionId: string; addressHash: string }
          },
      )
      .filter((e) => e.detail.sessionId === sessionId)
    expect(lines.map((e) => e['detail-type'])).toEqual([
      'OtpRequested',
      'OtpDelivered',
      'OtpVerified',
      'VerificationRedeemed',
    ])
    for (const e of lines) {
      expect(e.source).toBe('otp.email')
      expect(e.detail.addressHash).toBe(hashAddress(domainEvents.localSalt, email))
    }
    for (const secret of [email, email.split('@')[0] as string, code, token])
      expect(text).not.toContain(secret)
    expect(printed.filter((line) => line.includes(sessionId))).toHaveLength(4)
  })
})
