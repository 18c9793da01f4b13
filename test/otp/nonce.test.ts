import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { verificationRefusal } from '../../examples/two-step/server/verification-refusal.js'
import { bundleDir, repoRoot } from '../../infra/api.js'
import { loadResolverBundle, type LoadedBundle } from '../../infra/local/appsync/sandbox.js'
import { readInbox } from '../../infra/local/ses-local.js'
import { sessionKey } from '../../infra/model.js'
import { defaultSettings, toResolverEnv } from '../../infra/settings.js'
import { graphql, signedGraphql, useLocalStack } from '../support/local-stack.js'
import { VERIFY_OTP, itemsWithPrefix, readSession, uniqueEmail } from './operations.js'

const REQUEST_WITH_NONCE = /* GraphQL */ `
  mutation Request($email: AWSEmail!, $nonce: String) {
    requestOtp(email: $email, nonce: $nonce) {
      sessionId
    }
  }
`
const REDEEM_WITH_NONCE = /* GraphQL */ `
  mutation Redeem($token: String!) {
    redeemVerification(token: $token) {
      email
      sessionId
      verifiedAt
      nonce
    }
  }
`

/**
 * The nonce rules of requestOtp, called directly in the sandbox on the deployed bundle: an opaque
 * value of bounded length and character set, kept exactly as sent, refused as BadRequest otherwise.
 */
describe('requestOtp nonce rules', () => {
  let bundle: LoadedBundle
  beforeAll(async () => {
    const code = await readFile(join(repoRoot, bundleDir, 'Mutation.requestOtp.js'), 'utf8')
    bundle = await loadResolverBundle('Mutation.requestOtp', code)
  })

  function request(args: Record<string, unknown>) {
    const env = toResolverEnv(defaultSettings, 'otp')
    return bundle.invoke({
      handler: 'request',
      authType: 'API_KEY',
      ctx: {
        arguments: { email: 'ada@example.com', ...args },
        env,
        stash: {},
        // A browser's request as AppSync hands it on: the client, then CloudFront's edge.
        request: { headers: { 'x-forwarded-for': '203.0.113.9, 130.176.27.160' } },
      },
    })
  }

  it.each([
    ['22 base64url characters (128 bits)', 'q3Xv_9-LmZ0aB1cD2eF3gH'],
    ['32 hex characters', '0123456789abcdef0123456789abcdef'],
    ['a UUID', '3f0c9a52-6b1e-4d7f-9a0e-5c2b8d4e1f36'],
    ['exactly 16 characters', 'A'.repeat(16)],
    ['exactly 128 characters', 'z'.repeat(128)],
    ['every allowed punctuation mark', 'a-b.c_d~e-f.g_h~'],
  ])('keeps %s exactly as sent, case included', (_case, nonce) => {
    const report = request({ nonce })
    expect(report.outcome.kind).toBe('return')
    expect(report.stash.newSession).toMatchObject({ nonce })
  })

  it.each([
    ['no nonce argument', {}],
    ['a null nonce', { nonce: null }],
  ])('starts a session without a nonce for %s', (_case, args) => {
    const report = request(args)
    expect(report.outcome.kind).toBe('return')
    expect(report.stash.newSession).toBeDefined()
    expect(report.stash.newSession).not.toHaveProperty('nonce')
  })

  it.each([
    ['an empty nonce', ''],
    ['15 characters', 'a'.repeat(15)],
    ['129 characters', 'a'.repeat(129)],
    ['a megabyte', 'a'.repeat(1_000_000)],
    ['a space', 'abcdefgh ijklmnop'],
    ['surrounding spaces (never trimmed)', ' abcdefghijklmnop '],
    ['base64 padding', 'abcdefghijklmnop=='],
    ['a plus sign', 'abcdefgh+ijklmnop'],
    ['a slash', 'abcdefgh/ijklmnop'],
    ['a CR/LF', 'abcdefgh\r\nijklmnop'],
    ['a NUL', 'abcdefgh\u0000ijklmnop'],
    ['an accented letter', 'abcdefghéijklmnop'],
    ['a full-width digit', 'abcdefgh\uff11ijklmnop'],
    ['an emoji', 'abcdefgh\u{1f600}ijklmnop'],
    ['HTML', '<b>abcdefghijklmnop</b>'],
  ])('refuses %s as BadRequest on the nonce field', (_case, nonce) => {
    const report = request({ nonce })
    expect(report.outcome).toMatchObject({
      kind: 'error',
      error: { errorType: 'BadRequest', errorInfo: { field: 'nonce' } },
    })
    expect(report.stash.newSession).toBeUndefined()
  })
})

/**
 * The binding through the local stack: the nonce an attempt passed to requestOtp comes back from
 * redeemVerification, and the rule a relying backend applies (examples/two-step) accepts a token
 * only for the attempt that asked for it.
 */
describe('requestOtp nonce binding through the local stack', () => {
  const local = useLocalStack({ settings: { resendCooldownSeconds: 0 } })

  /** One attempt of a relying app: a fresh nonce, a code requested with it, the code verified. */
  async function verifiedAttempt(email: string, nonce: string | undefined) {
    const stack = local.stack()
    const started = await graphql(stack, REQUEST_WITH_NONCE, { email, nonce })
    expect(started.errors).toBeUndefined()
    const sessionId = started.data.requestOtp.sessionId as string
    const code = (await readSession(stack, sessionId))?.code as string
    const verified = await graphql(stack, VERIFY_OTP, { sessionId, code })
    return { sessionId, token: verified.data.verifyOtp.verificationToken as string }
  }

  const redeem = async (token: string) =>
    (await signedGraphql(local.stack(), REDEEM_WITH_NONCE, { token })).data.redeemVerification

  it('hands the attempt’s nonce back to the backend that redeems the token, which accepts it', async () => {
    const email = uniqueEmail()
    const nonce = randomNonce()
    const { sessionId, token } = await verifiedAttempt(email, nonce)

    const verified = await redeem(token)

    expect(verified).toMatchObject({ email, sessionId, nonce })
    expect(verificationRefusal({ email, nonce }, verified)).toBeNull()
  })

  it('returns a null nonce for a session started without one, which a backend expecting one refuses', async () => {
    const email = uniqueEmail()
    const { token } = await verifiedAttempt(email, undefined)

    const verified = await redeem(token)

    expect(verified).toMatchObject({ email, nonce: null })
    expect(verificationRefusal({ email, nonce: randomNonce() }, verified)).toBe('OTHER_ATTEMPT')
  })

  it('refuses a token earned in another attempt for the same address, and the token is spent', async () => {
    const email = uniqueEmail()
    const ours = randomNonce()
    const theirs = randomNonce()
    await graphql(local.stack(), REQUEST_WITH_NONCE, { email, nonce: ours })
    const other = await verifiedAttempt(email, theirs)

    const verified = await redeem(other.token)

    expect(verified).toMatchObject({ email, nonce: theirs })
    expect(verificationRefusal({ email, nonce: ours }, verified)).toBe('OTHER_ATTEMPT')
    // Redeeming is what told the backend whose token it was: the other attempt cannot use it now.
    expect(verificationRefusal({ email, nonce: theirs }, await redeem(other.token))).toBe(
      'TOKEN_SPENT_OR_EXPIRED',
    )
  })

  it('stores the nonce with the session and its token, and never puts it in the mail', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const nonce = randomNonce()
    const started = await graphql(stack, REQUEST_WITH_NONCE, { email, nonce })
    const sessionId = started.data.requestOtp.sessionId as string
    const session = await readSession(stack, sessionId)
    // The mail is sent for a session still waiting for its code: read it before verifying.
    const mail = await firstMailTo(stack.urls.ses as string, email)

    const verified = await graphql(stack, VERIFY_OTP, { sessionId, code: session?.code })
    const token = verified.data.verifyOtp.verificationToken as string
    const [tokenItem] = await itemsWithPrefix(stack, `TOKEN#${token}`)

    expect(session).toMatchObject({ pk: sessionKey(sessionId), nonce })
    expect(tokenItem).toMatchObject({ nonce })
    expect(JSON.stringify(mail)).not.toContain(nonce)
    expect(mail.body.text).toContain(session?.code)
  })

  it('refuses a malformed nonce as BadRequest before any session or mail exists', async () => {
    const stack = local.stack()
    const email = uniqueEmail()

    const body = await graphql(stack, REQUEST_WITH_NONCE, { email, nonce: 'too short' })

    expect(body.data).toBeNull()
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'BadRequest',
      errorInfo: { field: 'nonce' },
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
    const mails = (await readInbox(stack.urls.ses as string)).filter((mail) =>
      mail.destination.to.includes(email),
    )
    expect(mails).toEqual([])
  })
})

/** 128 random bits in base64url, as a relying server creates one per attempt. */
function randomNonce(): string {
  return randomBytes(16).toString('base64url')
}

async function firstMailTo(sesUrl: string, to: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const mail = (await readInbox(sesUrl)).find((stored) => stored.destination.to.includes(to))
    if (mail) return mail
    if (Date.now() > deadline) throw new Error(`no mail to ${to} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
