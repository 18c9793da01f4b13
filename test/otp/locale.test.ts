import { describe, expect, it } from 'vitest'
import { readInbox, type StoredEmail } from '../../infra/local/ses-local.js'
import type { LocalStack } from '../support/local-stack.js'
import { useLocalStack, type GraphqlBody } from '../support/local-stack.js'
import { readSession, uniqueEmail } from './operations.js'

const REQUEST_IN = /* GraphQL */ `
  mutation Request($email: AWSEmail!, $locale: String) {
    requestOtp(email: $email, locale: $locale) {
      sessionId
    }
  }
`

/** requestOtp with `locale` (if given) and any request headers, such as a browser's Accept-Language. */
async function requestIn(
  stack: LocalStack,
  email: string,
  locale: string | undefined,
  headers: Record<string, string> = {},
): Promise<GraphqlBody> {
  const response = await fetch(stack.urls.api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey, ...headers },
    body: JSON.stringify({ query: REQUEST_IN, variables: { email, locale } }),
  })
  return (await response.json()) as GraphqlBody
}

async function waitForMail(
  stack: LocalStack,
  to: string,
  timeoutMs = 10_000,
): Promise<StoredEmail> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [mail] = (await readInbox(stack.urls.ses!)).filter((m) => m.destination.to.includes(to))
    if (mail) return mail
    if (Date.now() > deadline) throw new Error(`no mail to ${to} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The language the session stores and the `lang` of the mail it was sent. */
async function languageOf(stack: LocalStack, body: GraphqlBody, email: string) {
  expect(body.errors).toBeUndefined()
  const session = await readSession(stack, body.data.requestOtp.sessionId)
  const mail = await waitForMail(stack, email)
  return { stored: session?.locale, mail: /<html lang="(\w+)"/.exec(mail.body.html ?? '')?.[1] }
}

describe('requestOtp chooses the language of the mail', () => {
  // A default other than English, so that falling back is told apart from "English by accident".
  const local = useLocalStack({ settings: { defaultLocale: 'ar' } })

  it.each([
    ['en', 'en'],
    ['de', 'de'],
    ['ar', 'ar'],
    ['de-AT', 'de'],
    ['AR-eg', 'ar'],
    ['en-Latn-GB-u-ca-gregory', 'en'],
  ])('stores and mails the locale argument %s as %s', async (tag, expected) => {
    const email = uniqueEmail()
    const body = await requestIn(local.stack(), email, tag)

    expect(await languageOf(local.stack(), body, email)).toEqual({
      stored: expected,
      mail: expected,
    })
  })

  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7', 'en'],
    ['fr;q=1, ar;q=0.5, de;q=0.8', 'de'],
    ['en;q=0.5, de;q=0.5', 'en'],
  ])(
    'without the argument, lets Accept-Language %j choose %s by weight',
    async (header, expected) => {
      const email = uniqueEmail()
      const body = await requestIn(local.stack(), email, undefined, { 'accept-language': header })

      expect(await languageOf(local.stack(), body, email)).toEqual({
        stored: expected,
        mail: expected,
      })
    },
  )

  it('puts the argument before Accept-Language', async () => {
    const email = uniqueEmail()
    const body = await requestIn(local.stack(), email, 'de', { 'accept-language': 'en' })

    expect((await languageOf(local.stack(), body, email)).mail).toBe('de')
  })

  it('skips malformed, refused and wildcard Accept-Language entries instead of refusing the request', async () => {
    const email = uniqueEmail()
    const header = 'de;q=2, de;q=abc, *, en_US, <b>, ar;q=0, en-GB;q=0.1'
    const body = await requestIn(local.stack(), email, undefined, { 'accept-language': header })

    expect(await languageOf(local.stack(), body, email)).toEqual({ stored: 'en', mail: 'en' })
  })

  it.each([
    ['an unsupported argument', 'fr-CA', {}],
    ['an unsupported Accept-Language', undefined, { 'accept-language': 'fr-CA, ja;q=0.5' }],
    ['neither', undefined, {}],
  ])('falls back to the defaultLocale setting for %s', async (_case, tag, headers) => {
    const email = uniqueEmail()
    const body = await requestIn(local.stack(), email, tag, headers)

    expect(await languageOf(local.stack(), body, email)).toEqual({ stored: 'ar', mail: 'ar' })
  })

  it.each([
    ['empty', ''],
    ['a word', 'english'],
    ['an underscore', 'en_US'],
    ['a trailing hyphen', 'de-'],
    ['markup', '"><script>alert(1)</script>'],
    ['a header break', 'de\r\nBcc: victim@example.com'],
    ['a final line feed', 'de\n'],
    ['a non-ASCII letter', 'dé'],
    ['a well-formed tag of 65 characters', `de${'-abcdefgh'.repeat(6)}-x-abcdef`],
  ])(
    'refuses %s as malformed with BadRequest, sends nothing and echoes nothing',
    async (_case, tag) => {
      const email = uniqueEmail()
      const body = await requestIn(local.stack(), email, tag)

      expect(body.data).toBeNull()
      expect(body.errors).toHaveLength(1)
      expect(body.errors?.[0]).toMatchObject({
        errorType: 'BadRequest',
        errorInfo: { field: 'locale' },
      })
      if (tag.length > 2)
        expect(JSON.stringify(body)).not.toContain(JSON.stringify(tag).slice(1, -1))
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(
        (await readInbox(local.stack().urls.ses!)).filter((m) => m.destination.to.includes(email)),
      ).toEqual([])
    },
  )

  it('accepts a well-formed tag of exactly 64 characters', async () => {
    const tag = `de${'-abcdefgh'.repeat(6)}-x-abcde`
    expect(tag).toHaveLength(64)
    const email = uniqueEmail()

    expect(
      (await languageOf(local.stack(), await requestIn(local.stack(), email, tag), email)).mail,
    ).toBe('de')
  })
})
