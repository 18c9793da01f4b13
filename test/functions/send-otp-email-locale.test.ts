import { describe, expect, it } from 'vitest'
import type { EmailSenderConfig } from '../../functions/send-otp-email/config.js'
import { createHandler } from '../../functions/send-otp-email/handler.js'
import {
  insertRecord,
  mailTo,
  newSession,
  putSession,
  testDependencies,
  useEmailEnv,
} from './fixtures/email-env.js'

const env = useEmailEnv()

/** Sends the mail of one new session with `config` over the default settings; returns that mail. */
async function mailOf(
  session: ReturnType<typeof newSession>,
  config: Partial<EmailSenderConfig> = {},
) {
  await putSession(env(), session)
  const result = await createHandler(testDependencies(env(), { config }))({
    Records: [insertRecord(session)],
  })
  expect(result.batchItemFailures).toEqual([])
  const [mail, ...more] = await mailTo(env(), session.email)
  expect(more).toEqual([])
  return mail!
}

describe('Function: send-otp-email, language, brand and link', () => {
  it.each([
    ['en', 'ltr', 'Your Example App verification code'],
    ['de', 'ltr', 'Ihr Bestätigungscode für Example App'],
    ['ar', 'rtl', 'رمز التحقق الخاص بك لدى \u2068Example App\u2069'],
  ])('writes the mail of a session stored in %s in that language', async (locale, dir, subject) => {
    const mail = await mailOf(newSession({ locale }))

    expect(mail.subject).toBe(subject)
    expect(mail.body.html).toContain(`<html lang="${locale}" dir="${dir}">`)
  })

  it('writes a session without a locale in the defaultLocale setting', async () => {
    const mail = await mailOf(newSession(), { defaultLocale: 'de' })

    expect(mail.body.html).toContain('<html lang="de" dir="ltr">')
  })

  it('puts the brand of the settings in the mail', async () => {
    const mail = await mailOf(newSession(), {
      appName: 'Acme',
      brandLogoUrl: 'https://acme.example/logo.png',
      brandAccentColor: '#0f766e',
      brandSupport: 'https://acme.example/help',
      brandFooter: 'Acme Ltd, 1 Main Street',
    })

    expect(mail.subject).toBe('Your Acme verification code')
    expect(mail.body.html).toContain('src="https://acme.example/logo.png"')
    expect(mail.body.html).toContain('border-top:4px solid #0f766e')
    expect(mail.body.html).toContain('href="https://acme.example/help"')
    expect(mail.body.text).toContain('Acme Ltd, 1 Main Street')
  })

  it('links to the web app with the session and the code in the fragment only when linkBaseUrl is set', async () => {
    const session = newSession({ locale: 'de' })
    const mail = await mailOf(session, { linkBaseUrl: 'https://app.example/' })
    const link = `https://app.example/#s=${session.sessionId}&c=${session.code}`

    expect(mail.body.text).toContain(link)
    expect(mail.body.html).toContain(`href="${link.replace('&', '&amp;')}"`)
    expect(mail.body.html).toContain('Meine E-Mail-Adresse bestätigen')

    const plain = await mailOf(newSession())
    expect(plain.body.html).not.toContain('href=')
    expect(plain.body.text).not.toContain('https://')
  })
})
