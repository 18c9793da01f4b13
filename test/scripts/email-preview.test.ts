import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { emailLocales } from '../../functions/send-otp-email/email-messages.js'
import { previewOptionsFromEnv, writeEmailPreviews } from '../../scripts/email-preview.js'
import { runBrowserTests } from '../e2e/browser.js'

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))
const outDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'email-preview-'))
  dirs.push(dir)
  return dir
}

describe('scripts/email-preview', () => {
  it('writes every language’s mail as HTML and text, in the brand the declared settings give', async () => {
    const dir = await outDir()
    const options = previewOptionsFromEnv({
      OTP_APP_NAME: 'Acme',
      OTP_BRAND_ACCENT_COLOR: '#0f766e',
      OTP_BRAND_LOGO_URL: 'https://acme.example/logo.png',
      OTP_BRAND_SUPPORT: 'help@acme.example',
      OTP_BRAND_FOOTER: 'Acme Ltd',
      OTP_CODE_TTL_SECONDS: '300',
      OTP_LINK_BASE_URL: 'https://acme.example/verify',
    })
    const files = await writeEmailPreviews(dir, { ...options, screenshots: false })

    for (const locale of Object.keys(emailLocales)) {
      expect(files).toEqual(expect.arrayContaining([`${locale}.html`, `${locale}.txt`]))
      const html = await readFile(join(dir, `${locale}.html`), 'utf8')
      expect(html).toContain(`lang="${locale}" dir="${emailLocales[locale as 'en'].dir}"`)
      expect(html).toContain('border-top:4px solid #0f766e')
      expect(html).toContain('src="https://acme.example/logo.png"')
      expect(html).toContain('href="mailto:help@acme.example"')
      expect(html).toContain('Acme Ltd')
      expect(html).toMatch(/href="https:\/\/acme\.example\/verify#s=[0-9a-f]{32}&amp;c=482913"/)
      expect(await readFile(join(dir, `${locale}.txt`), 'utf8')).toMatch(/^Subject: .*Acme/)
    }
    expect(await readFile(join(dir, 'en.txt'), 'utf8')).toContain('expires in 5 minutes')
  })

  it('shows no link without linkBaseUrl, and the settings’ default brand without variables', async () => {
    const dir = await outDir()
    await writeEmailPreviews(dir, { ...previewOptionsFromEnv({}), screenshots: false })

    const html = await readFile(join(dir, 'en.html'), 'utf8')
    expect(html).toContain('border-top:4px solid #4338ca')
    expect(html).toContain('Example App')
    expect(html).not.toContain('href=')
  })

  it('refuses a brand value a deploy would refuse, naming its variable', () => {
    expect(() => previewOptionsFromEnv({ OTP_BRAND_ACCENT_COLOR: 'red' })).toThrow(
      'OTP_BRAND_ACCENT_COLOR',
    )
    expect(() => previewOptionsFromEnv({ OTP_LINK_BASE_URL: 'http://x.example' })).toThrow(
      'OTP_LINK_BASE_URL',
    )
  })

  it.skipIf(!runBrowserTests)(
    'takes a desktop and a phone screenshot of each mail in Chromium',
    async () => {
      const dir = await outDir()
      const files = await writeEmailPreviews(dir, {
        ...previewOptionsFromEnv({}),
        screenshots: true,
      })
      for (const locale of Object.keys(emailLocales))
        for (const png of [`${locale}.png`, `${locale}-mobile.png`]) {
          expect(files).toContain(png)
          const bytes = await readFile(join(dir, png))
          expect(bytes.subarray(1, 4).toString()).toBe('PNG')
        }
    },
  )
})
