/**
 * `npm run email:preview`: renders the one-time-code mail in every shipped language with the
 * brand an operator is about to deploy, as HTML and text files, plus PNG screenshots (desktop
 * and a 360 px phone) where Chromium is installed, so that each mail can be seen before deploying.
 *
 * Brand and settings are the deploy-time settings, loaded and checked as `npm run deploy` loads
 * them (`loadSettings`: defaults, then the `OTP_*` variables; a bad value stops with its name):
 * the product name, the logo, accent colour, support contact and footer, the code's lifetime,
 * `codeInSubject` and `linkBaseUrl` (with it, each mail shows the link). Output folder: the first
 * argument, else dist/email-preview.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { brandingFromSettings, type Branding } from '../functions/send-otp-email/branding.js'
import { emailLocales } from '../functions/send-otp-email/email-messages.js'
import type { EmailLocale } from '../functions/send-otp-email/email-messages.js'
import { escapeHtml, renderOtpEmail } from '../functions/send-otp-email/render-otp-email.js'
import { InvalidSettingError, loadSettings, type OtpSettings } from '../infra/settings.js'

const chromiumPath = '/usr/bin/chromium'

export interface PreviewOptions {
  branding: Branding
  expiresInMinutes: number
  codeInSubject: boolean
  /** The `linkBaseUrl` setting: empty for a mail without the link. */
  linkBaseUrl: string
  /** Take PNG screenshots (default: when Chromium is installed). */
  screenshots?: boolean
}

/** What the preview shows of the deploy-time settings (see `loadSettings`). */
export function previewOptionsFrom(settings: OtpSettings): PreviewOptions {
  return {
    branding: brandingFromSettings(settings),
    expiresInMinutes: settings.codeTtlSeconds / 60,
    codeInSubject: settings.codeInSubject,
    linkBaseUrl: settings.linkBaseUrl,
  }
}

/**
 * The preview's options from the `OTP_*` variables in `env`, over the settings' defaults.
 * @throws InvalidSettingError naming a variable whose value a deploy would refuse.
 */
export function previewOptionsFromEnv(env: Record<string, string | undefined>): PreviewOptions {
  return previewOptionsFrom(loadSettings(env))
}

function indexPage(rendered: { locale: string; subject: string; png: boolean }[]): string {
  const rows = rendered.map(
    ({ locale, subject, png }) =>
      `<li><a href="${locale}.html">${locale}</a> · <a href="${locale}.txt">text</a>${
        png ? ` · <a href="${locale}.png">PNG</a>` : ''
      } — <bdi>${escapeHtml(subject)}</bdi></li>`,
  )
  return `<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>Email preview</title>\n<h1>Email preview</h1>\n<ul>\n${rows.join(
    '\n',
  )}\n</ul>\n</html>\n`
}

/**
 * Writes `<locale>.html`, `<locale>.txt` (subject first), and with screenshots `<locale>.png`
 * and `<locale>-mobile.png` for every shipped language into `outDir`, plus an `index.html`.
 * Returns the files written.
 */
export async function writeEmailPreviews(
  outDir: string,
  options: PreviewOptions,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true })
  const screenshots = options.screenshots ?? existsSync(chromiumPath)
  const written: string[] = []
  const rendered = []
  for (const locale of Object.keys(emailLocales) as EmailLocale[]) {
    const mail = renderOtpEmail({
      code: '482913',
      email: 'jane.doe@example.com',
      locale,
      branding: options.branding,
      expiresInMinutes: options.expiresInMinutes,
      codeInSubject: options.codeInSubject,
      ...(options.linkBaseUrl
        ? { link: { baseUrl: options.linkBaseUrl, sessionId: '3f2a9c4e8b7d6a5f1e0c9b8a7d6e5f4a' } }
        : {}),
    })
    await writeFile(join(outDir, `${locale}.html`), mail.html)
    await writeFile(join(outDir, `${locale}.txt`), `Subject: ${mail.subject}\n\n${mail.text}`)
    written.push(`${locale}.html`, `${locale}.txt`)
    rendered.push({ locale, subject: mail.subject, html: mail.html, png: screenshots })
  }
  if (screenshots) {
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    try {
      for (const { locale, html } of rendered) {
        for (const [suffix, width] of [['', 640] as const, ['-mobile', 360] as const]) {
          const page = await browser.newPage({ viewport: { width, height: 600 } })
          await page.setContent(html, { waitUntil: 'load' })
          await page.screenshot({ path: join(outDir, `${locale}${suffix}.png`), fullPage: true })
          await page.close()
          written.push(`${locale}${suffix}.png`)
        }
      }
    } finally {
      await browser.close()
    }
  }
  await writeFile(join(outDir, 'index.html'), indexPage(rendered))
  written.push('index.html')
  return written
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? 'dist/email-preview')
  let options: PreviewOptions
  try {
    options = previewOptionsFromEnv(process.env)
  } catch (error) {
    if (!(error instanceof InvalidSettingError)) throw error
    console.error(error.message)
    process.exit(1)
  }
  const files = await writeEmailPreviews(outDir, options)
  if (!options.screenshots && !existsSync(chromiumPath))
    console.warn(`No PNG screenshots: ${chromiumPath} is missing (apt-get install chromium).`)
  console.log(`Wrote ${files.length} files to ${relative(process.cwd(), outDir) || '.'}:`)
  for (const file of files) console.log(`  ${file}`)
}
