import { describe, expect, it } from 'vitest'
import {
  renderOtpEmail,
  type OtpEmailInput,
} from '../../functions/send-otp-email/render-otp-email.js'

const input = (overrides: Partial<OtpEmailInput> = {}): OtpEmailInput => ({
  code: '482913',
  appName: 'Example App',
  email: 'jane@example.com',
  expiresInMinutes: 10,
  codeInSubject: false,
  ...overrides,
})

describe('renderOtpEmail', () => {
  it('puts the code and the expiry in minutes in both the text and the HTML part', () => {
    // Act
    const email = renderOtpEmail(input())

    // Assess
    expect(email.text).toContain('482913')
    expect(email.text).toContain('expires in 10 minutes')
    expect(email.html).toContain('>482913</span>')
    expect(email.html).toContain('expires in 10 minutes')
  })

  it('shows the code large, monospaced, letter-spaced and selectable with one click', () => {
    const { html } = renderOtpEmail(input())

    const span = /<span style="([^"]*)">482913<\/span>/.exec(html)
    expect(span?.[1]).toContain('monospace')
    expect(span?.[1]).toContain('font-size:32px')
    expect(span?.[1]).toContain('letter-spacing')
    expect(span?.[1]).toContain('user-select:all')
  })

  it('rounds a part of a minute up and says "1 minute" in the singular', () => {
    expect(renderOtpEmail(input({ expiresInMinutes: 4.2 })).text).toContain('expires in 5 minutes')
    expect(renderOtpEmail(input({ expiresInMinutes: 0.3 })).text).toContain('expires in 1 minute.')
  })

  it('tells a reader who did not ask for the code to ignore it', () => {
    const email = renderOtpEmail(input())

    const note =
      "If you didn't request this, you can ignore this email; someone may have typed your address by mistake."
    expect(email.text).toContain(note)
    expect(email.html).toContain(note.replace("'", '&#39;'))
  })

  it('contains no link, so the code never travels in a URL', () => {
    const email = renderOtpEmail(input())

    expect(email.html).not.toMatch(/<a\s|href=|https?:/i)
    expect(email.text).not.toMatch(/https?:/i)
  })

  it('escapes an app name carrying a script tag and an address carrying markup', () => {
    // Arrange
    const hostile = input({
      appName: '<script>alert(1)</script>',
      email: '"><img src=x onerror=alert(1)>@example.com',
    })

    // Act
    const { html } = renderOtpEmail(hostile)

    // Assess
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;@example.com')
  })

  it('keeps the subject on one line when the app name carries CR/LF and a fake header', () => {
    const { subject } = renderOtpEmail(
      input({ appName: 'Evil\r\nBcc: victim@example.com\u2028X', codeInSubject: true }),
    )

    expect(subject).not.toMatch(/[\r\n\u2028\u2029\p{Cc}]/u)
    expect(subject).toBe('482913 is your Evil Bcc: victim@example.com X verification code')
  })

  it('leaves the code out of the subject unless codeInSubject is set', () => {
    expect(renderOtpEmail(input()).subject).toBe('Your Example App verification code')
    expect(renderOtpEmail(input()).subject).not.toContain('482913')
    expect(renderOtpEmail(input({ codeInSubject: true })).subject).toContain('482913')
  })
})
