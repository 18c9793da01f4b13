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
  it('writes every language’s mail as HTML and text, in the brand from the OTP_* variables', async () => {
    const dir = await outDir()
    const options = previewOptionsFromEnv({
      OTP_APP_NAME: 'Acme',
      OTP_BRAND_ACCENT_COLOR: '#0f766e',
      OTP_BRAND_FOOTER: 'Acme Ltd',
      OTP_CODE_TTL_SECONDS: '300',
    })
    const files = await writeEmailPreviews(dir, { ...options, screenshots: false })

    for (const locale of Object.keys(emailLocales)) {
      expect(files).toEqual(expect.arrayContaining([`${locale}.html`, `${locale}.txt`]))
      const html = await readFile(join(dir, `${locale}.html`), 'utf8')
      expect(html).toContain(`lang="${locale}" dir="${emailLocales[locale as 'en'].dir}"`)
      expect(html).toContain('border-top:4px solid #0f766e')
      expect(html).toContain('Acme Ltd')
      expect(await readFile(join(dir, `${locale}.txt`), 'utf8')).toMatch(/^Subject: .*Acme/)
    }
    expect(await readFile(join(dir, 'en.txt'), 'utf8')).toContain('expires in 5 minutes')
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
