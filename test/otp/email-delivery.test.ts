import { afterAll, describe, expect, it } from 'vitest'
import { readInbox, type StoredEmail } from '../../infra/local/ses-local.js'
import { graphql, useLocalStack } from '../support/local-stack.js'
import { REQUEST_OTP, VERIFY_OTP, readSession, uniqueEmail, wrongCode } from './operations.js'

/** Everything the process writes to stdout and stderr while the suite runs (request log, Lambda log). */
function captureOutput(): { lines: () => string; restore: () => void } {
  const chunks: string[] = []
  const streams = [process.stdout, process.stderr]
  const originals = streams.map((stream) => stream.write.bind(stream))
  streams.forEach((stream, index) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return (originals[index] as (...args: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof stream.write
  })
  const consoleLog = console.log
  console.log = (...args: unknown[]) => {
    chunks.push(args.map(String).join(' '))
    consoleLog(...args)
  }
  return {
    lines: () => chunks.join(''),
    restore: () => {
      streams.forEach((stream, index) => (stream.write = originals[index] as typeof stream.write))
      console.log = consoleLog
    },
  }
}

async function waitForMail(sesUrl: string, to: string, timeoutMs = 10_000): Promise<StoredEmail[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const mails = (await readInbox(sesUrl)).filter((mail) => mail.destination.to.includes(to))
    if (mails.length > 0 || Date.now() > deadline) return mails
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('email delivery through the local stack', () => {
  const output = captureOutput()
  const local = useLocalStack({ quiet: false, settings: { resendCooldownSeconds: 0 } })
  afterAll(() => output.restore())

  it('puts exactly one mail with the code in the local inbox for one requestOtp', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const body = await graphql(stack, REQUEST_OTP, { email })
    const { sessionId } = body.data.requestOtp
    const code = (await readSession(stack, sessionId))?.code as string
    const mails = await waitForMail(stack.urls.ses as string, email)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.body.text).toContain(code)
    expect(mails[0]?.body.html).toContain(code)
    // Give a duplicate the time to show up if the stream or the handler were to send twice.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(await waitForMail(stack.urls.ses as string, email, 0)).toHaveLength(1)
    expect((await readSession(stack, sessionId))?.delivery).toBe('SENT')
  })

  it('writes no code into any log line of the API or the email Lambda (S6)', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const { sessionId } = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp
    const code = (await readSession(stack, sessionId))?.code as string
    await waitForMail(stack.urls.ses as string, email)
    await graphql(stack, VERIFY_OTP, { sessionId, code: wrongCode(code) })
    await graphql(stack, VERIFY_OTP, { sessionId, code })
    const logged = output.lines()
    expect(logged).toContain(sessionId)
    // Digit boundaries: a random message id may contain six digits in a row by chance.
    const standalone = (digits: string) => new RegExp(`(?<![0-9])${digits}(?![0-9])`)
    expect(logged).not.toMatch(standalone(code))
    expect(logged).not.toMatch(standalone(wrongCode(code)))
  })
})
