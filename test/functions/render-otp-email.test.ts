import { describe, expect, it } from 'vitest'
import { accentColorProblem } from '../../functions/send-otp-email/branding.js'
import {
  renderOtpEmail,
  type Branding,
  type OtpEmailInput,
} from '../../functions/send-otp-email/render-otp-email.js'

const input = (overrides: Partial<OtpEmailInput> = {}): OtpEmailInput =>
  ({
    code: '482913',
    appName: 'Example App',
    email: 'jane@example.com',
    expiresInMinutes: 10,
    codeInSubject: false,
    ...overrides,
  } as OtpEmailInput)

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

  it('contains no link without linkBaseUrl, so the code never travels in a URL', () => {
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

const branded = (branding: Branding, overrides: Partial<OtpEmailInput> = {}) =>
  renderOtpEmail({
    code: '482913',
    email: 'jane@example.com',
    expiresInMinutes: 10,
    codeInSubject: false,
    branding,
    ...overrides,
  } as OtpEmailInput)

/** Every URL the HTML part links to or loads. */
const urls = (html: string) => [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1])

describe('renderOtpEmail in the reader’s language', () => {
  it.each([
    ['en', 'ltr', 'Your Example App verification code', 'expires in 10 minutes'],
    ['de', 'ltr', 'Ihr Bestätigungscode für Example App', 'läuft in 10 Minuten ab'],
    ['ar', 'rtl', 'رمز التحقق الخاص بك لدى \u2068Example App\u2069', 'بعد 10 دقائق'],
  ])(
    'writes %s with the code in both parts and lang/dir on the document',
    (locale, dir, subject, expiry) => {
      const email = renderOtpEmail(input({ locale }))

      expect(email.subject).toBe(subject)
      expect(email.text).toContain('482913')
      expect(email.text).toContain(expiry)
      expect(email.html).toContain('>482913</span>')
      expect(email.html).toContain(`<html lang="${locale}" dir="${dir}">`)
      expect([email.locale, email.dir]).toEqual([locale, dir])
    },
  )

  it('writes a regional tag in its language and anything unsupported or malformed in English', () => {
    expect(renderOtpEmail(input({ locale: 'de-AT' })).locale).toBe('de')
    expect(renderOtpEmail(input({ locale: 'ar_EG' })).locale).toBe('ar')
    expect(renderOtpEmail(input({ locale: 'fr' })).locale).toBe('en')
    const hostile = renderOtpEmail(input({ locale: '"><script>alert(1)</script>' }))
    expect(hostile.html).toContain('<html lang="en" dir="ltr">')
    expect(hostile.html).not.toContain('script')
  })

  it.each([
    [1, 'دقيقة واحدة'],
    [2, 'دقيقتين'],
    [3, '3 دقائق'],
    [11, '11 دقيقة'],
  ])('counts %i minutes with the Arabic plural form that fits', (minutes, words) => {
    const { text } = renderOtpEmail(input({ locale: 'ar', expiresInMinutes: minutes }))
    expect(text).toContain(`بعد ${words}.`)
  })

  it('keeps the address and the code left to right inside a right-to-left mail', () => {
    const { text, html } = renderOtpEmail(input({ locale: 'ar' }))
    expect(text).toContain('\u2068jane@example.com\u2069')
    expect(html).toContain('<strong dir="ltr">jane@example.com</strong>')
    expect(html).toMatch(
      /<p dir="ltr" style="[^"]*text-align:right">\s*<span style="[^"]*">482913</,
    )
  })
})

describe('renderOtpEmail in the operator’s brand', () => {
  const brand: Branding = {
    productName: 'Acme',
    logoUrl: 'https://cdn.acme.example/logo.png',
    accentColor: '#0f766e',
    supportUrl: 'https://acme.example/help',
    footer: 'Acme Ltd, 1 Main Street',
  }

  it('shows the logo, the accent, the support link and the footer line', () => {
    const { html, text } = branded(brand)
    expect(html).toMatch(/<img\s+src="https:\/\/cdn\.acme\.example\/logo\.png"\s+alt="Acme"/)
    expect(html).toContain('border-top:4px solid #0f766e')
    expect(html).toContain('<a href="https://acme.example/help" dir="ltr" style="color:#0f766e"')
    expect(html).toContain('Acme Ltd, 1 Main Street')
    expect(text).toContain('Need help? Contact https://acme.example/help.')
    expect(text).toContain('Acme Ltd, 1 Main Street')
  })

  it('links a support address with mailto: when there is no support page', () => {
    const { html } = branded({ productName: 'Acme', supportEmail: 'help@acme.example' })
    expect(html).toContain('<a href="mailto:help@acme.example"')
  })

  it('never puts the code in a URL, whatever the brand links to', () => {
    const { html } = branded(brand)
    expect(urls(html).length).toBeGreaterThan(0)
    for (const url of urls(html)) expect(url).not.toContain('482913')
  })

  it('leaves out a colour, logo or support value that fails its check, and escapes the rest', () => {
    const { html, text, subject } = branded({
      productName: '<script>alert(1)</script>',
      logoUrl: 'javascript:alert(1)',
      accentColor: 'red;background:url(https://evil.example/x)',
      supportUrl: 'http://plain-http.example/help',
      supportEmail: 'a@b.example?bcc=victim@example.com',
      footer: '<img src=x onerror=alert(1)>\r\nBcc: victim@example.com',
    })

    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('javascript:')
    expect(html).not.toContain('evil.example')
    expect(html).not.toContain('plain-http')
    expect(html).not.toContain('bcc=')
    expect(html).toContain('border-top:4px solid #4338ca')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; Bcc: victim@example.com')
    expect(text).toContain('<img src=x onerror=alert(1)> Bcc: victim@example.com')
    expect(subject).not.toMatch(/[\r\n]/)
  })

  it('escapes a logo URL that would close its attribute', () => {
    const { html } = branded({
      productName: 'Acme',
      logoUrl: 'https://cdn.example/a.png"onerror="alert(1)',
    })
    expect(html).not.toContain('"onerror="')
    expect(html).toContain('src="https://cdn.example/a.png&quot;onerror=&quot;alert(1)"')
  })

  it('colours links in the accent only where it reads on white', () => {
    const pale = branded({
      productName: 'Acme',
      accentColor: '#ffd500',
      supportUrl: brand.supportUrl,
    })
    expect(pale.html).toContain('border-top:4px solid #ffd500')
    expect(pale.html).toContain('style="color:#111827"')
  })
})

const sessionId = '0123456789abcdef0123456789abcdef'
const linked = (baseUrl: string, overrides: Partial<OtpEmailInput> = {}) =>
  renderOtpEmail(input({ link: { baseUrl, sessionId }, ...overrides }))

describe('renderOtpEmail with the code link (linkBaseUrl)', () => {
  const link = `https://app.example/verify#s=${sessionId}&c=482913`

  it.each([
    [
      'en',
      'Or open this link in the browser where you asked for the code',
      'Confirm my email address',
    ],
    ['de', 'Oder öffnen Sie diesen Link in dem Browser', 'Meine E-Mail-Adresse bestätigen'],
    ['ar', 'أو افتح هذا الرابط في المتصفح', 'تأكيد عنوان بريدي الإلكتروني'],
  ])(
    'in %s, says where to open the link and links to the fragment in both parts',
    (locale, sentence, words) => {
      const { text, html } = linked('https://app.example/verify', { locale })

      expect(text).toContain(`${sentence}`)
      expect(text).toContain(`\n${link}\n`)
      expect(html).toContain(sentence)
      expect(urls(html)).toEqual([link.replace('&', '&amp;')])
      expect(html).toMatch(new RegExp(`<a\\s+href="[^"]*"\\s+style="[^"]*"\\s*>${words}</a`))
      // The code is still there to type.
      expect(html).toContain('>482913</span>')
    },
  )

  it('takes http only on the local machine', () => {
    expect(urls(linked('http://localhost:4000/').html)).toEqual([
      `http://localhost:4000/#s=${sessionId}&amp;c=482913`,
    ])
    for (const base of ['http://app.example/', 'javascript:alert(1)//', 'ftp://app.example/'])
      expect(linked(base).html, base).not.toContain('href=')
  })

  it('leaves the link out for a base with a fragment or credentials, or a session id not of its shape', () => {
    for (const base of ['https://app.example/#x', 'https://u:p@app.example/'])
      expect(linked(base).html, base).not.toContain('href=')
    const { html, text } = renderOtpEmail(
      input({ link: { baseUrl: 'https://app.example/', sessionId: '"><script>x</script>' } }),
    )
    expect(html).not.toContain('href=')
    expect(html).not.toContain('<script')
    expect(text).not.toContain('https://')
  })

  it('escapes a base that would close the href attribute', () => {
    const { html } = linked('https://app.example/a"onmouseover="alert(1)')
    expect(html).not.toContain('"onmouseover="')
    expect(html).toContain('href="https://app.example/a&quot;onmouseover=&quot;alert(1)#s=')
  })

  it('gives the link white text on the accent only where the accent reads under it', () => {
    const dark = renderOtpEmail({
      ...input({ link: { baseUrl: 'https://app.example/', sessionId } }),
      branding: { productName: 'Acme', accentColor: '#0f766e' },
    } as OtpEmailInput)
    expect(dark.html).toMatch(/background:#0f766e;color:#ffffff/)
    const pale = renderOtpEmail({
      ...input({ link: { baseUrl: 'https://app.example/', sessionId } }),
      branding: { productName: 'Acme', accentColor: '#ffd500' },
    } as OtpEmailInput)
    expect(pale.html).toMatch(/background:#111827;color:#ffffff/)
  })
})

describe('accentColorProblem', () => {
  it('accepts #rgb and #rrggbb in either case', () => {
    for (const colour of ['#fff', '#0F766E', '#4338ca'])
      expect(accentColorProblem(colour)).toBeNull()
  })

  it('refuses names, other lengths, non-hex digits and anything that could carry CSS', () => {
    for (const colour of ['red', '#abcd', '#12345g', 'rgb(0,0,0)', '#fff;color:red', ' #fff'])
      expect(accentColorProblem(colour), colour).toMatch(/hex colour/)
  })
})
