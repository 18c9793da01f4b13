import { existsSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import { readInbox } from '../../infra/local/ses-local.js'
import { useLocalStack } from '../support/local-stack.js'
import {
  launchChromium,
  readCodeFromInbox,
  runBrowserTests,
  seriousAccessibilityViolations,
} from './browser.js'

const webDist = join(repoRoot, 'web/dist')
// Screenshots are test artifacts; `UPDATE_README_SCREENSHOTS=1` also refreshes the README's copies.
const screenshotDirs = [
  join(repoRoot, 'test-results/screenshots'),
  ...(process.env.UPDATE_README_SCREENSHOTS ? [join(repoRoot, 'docs/screenshots')] : []),
]

/** What each shipped language must show: the browser language that selects it and a few words. */
const languages = [
  {
    browser: 'en-GB',
    lang: 'en',
    dir: 'ltr',
    heading: 'Sign in with email',
    check: 'Check your email',
  },
  {
    browser: 'de-AT',
    lang: 'de',
    dir: 'ltr',
    heading: 'Mit E-Mail anmelden',
    check: 'Sehen Sie in Ihr Postfach',
  },
  {
    browser: 'ar-EG',
    lang: 'ar',
    dir: 'rtl',
    heading: 'تسجيل الدخول بالبريد الإلكتروني',
    check: 'تحقّق من بريدك الإلكتروني',
  },
] as const
const looks = [
  { name: 'mobile', width: 320, height: 640 },
  { name: 'desktop', width: 1280, height: 800 },
] as const

describe.skipIf(!runBrowserTests)(
  'Web app in every language, in Chromium against the local stack',
  () => {
    beforeAll(async () => {
      if (!existsSync(join(webDist, 'index.html'))) {
        await build({ configFile: join(repoRoot, 'web/vite.config.ts'), logLevel: 'warn' })
      }
    })
    const { stack } = useLocalStack({ webDir: webDist })
    let browser: Browser | undefined
    beforeAll(async () => {
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
    })

    /** Opens the app in a fresh profile whose browser language is `locale`; records the scripts it loads. */
    async function openApp(locale: string, look: { width: number; height: number }) {
      const page = await browser!.newPage({
        locale,
        viewport: { width: look.width, height: look.height },
      })
      const scripts: string[] = []
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname)
      })
      await page.goto(stack().urls.web!)
      await page.locator('#email').waitFor()
      return { page, scripts }
    }

    async function screenshot(page: Page, name: string): Promise<void> {
      for (const dir of screenshotDirs) await mkdir(dir, { recursive: true })
      const [first, ...copies] = screenshotDirs.map((dir) => join(dir, `${name}.png`))
      await page.screenshot({ path: first, fullPage: true })
      for (const copy of copies) await copyFile(first!, copy)
    }

    const documentLanguage = (page: Page) =>
      page.evaluate(() => [
        document.documentElement.lang,
        document.documentElement.dir,
        getComputedStyle(document.body).direction,
      ])

    /** Left edges (px) of the logo, the product name and the language switcher. */
    const topRow = (page: Page) =>
      page.evaluate(() =>
        ['.brand .logo', '.brand span', '#language'].map(
          (selector) => document.querySelector(selector)!.getBoundingClientRect().left,
        ),
      )

    let mailbox = 0
    async function requestCode(page: Page): Promise<string> {
      mailbox += 1
      const address = `reader${mailbox}@example.com`
      await page.locator('#email').fill(address)
      await page.locator('#email').press('Enter')
      await page.locator('#code').waitFor()
      return address
    }

    /** `lang` and `dir` of the mail sent to `address`, once it is in the local inbox. */
    async function mailLanguage(address: string): Promise<string[]> {
      const deadline = Date.now() + 15_000
      for (;;) {
        const [mail] = (await readInbox(stack().urls.ses!)).filter((m) =>
          m.destination.to.includes(address),
        )
        const found = /<html lang="([\w-]+)" dir="(\w+)">/.exec(mail?.body.html ?? '')
        if (found) return [found[1]!, found[2]!]
        if (Date.now() > deadline) throw new Error(`no mail to ${address}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }

    for (const language of languages) {
      for (const look of looks) {
        it(`follows a ${language.browser} browser at ${look.width} px, passes axe on both steps and mails the code in its language`, async () => {
          const { page, scripts } = await openApp(language.browser, look)
          expect(await documentLanguage(page)).toEqual([language.lang, language.dir, language.dir])
          expect(await page.locator('h1').textContent()).toBe(language.heading)
          // Only the shown language's messages are downloaded.
          const chunks = scripts.filter((path) => /\/assets\/(en|de|ar)-/.test(path))
          expect(chunks).toHaveLength(1)
          expect(chunks[0]).toMatch(new RegExp(`/assets/${language.lang}-`))
          expect(await seriousAccessibilityViolations(page)).toEqual([])

          const address = await requestCode(page)
          expect(await page.locator('h1').textContent()).toBe(language.check)
          // The page asked for the mail in its own language.
          expect(await mailLanguage(address)).toEqual([language.lang, language.dir])
          expect(await seriousAccessibilityViolations(page)).toEqual([])
          if (language.dir === 'rtl') await screenshot(page, `rtl-${look.name}-2-code`)
          await page.close()
        })
      }
    }

    it('mirrors the layout right to left in Arabic', async () => {
      const english = await openApp('en-US', looks[1])
      const [logoEn, nameEn, switcherEn] = await topRow(english.page)
      expect(logoEn).toBeLessThan(nameEn!)
      expect(switcherEn).toBeGreaterThan(nameEn!)
      await english.page.close()

      const arabic = await openApp('ar', looks[1])
      const [logoAr, nameAr, switcherAr] = await topRow(arabic.page)
      expect(logoAr).toBeGreaterThan(nameAr!)
      expect(switcherAr).toBeLessThan(nameAr!)
      // The label starts at the right edge of its field, as the field's text would.
      const [label, field] = await arabic.page.evaluate(() =>
        ['label[for="email"]', '#email'].map(
          (selector) => document.querySelector(selector)!.getBoundingClientRect().right,
        ),
      )
      expect(Math.abs(label! - field!)).toBeLessThan(1)
      await screenshot(arabic.page, 'rtl-desktop-1-email')
      await arabic.page.close()
    })

    it('says a wrong code and the attempts left in Arabic, then verifies, with address and token left to right', async () => {
      const { page } = await openApp('ar', looks[0])
      const address = await requestCode(page)
      const { urls, settings } = stack()
      const code = await readCodeFromInbox(urls.ses!, address, settings.codeLength)
      const wrong = code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10)
      await page.locator('#code').pressSequentially(wrong)

      await expect
        .poll(() => page.getByTestId('status').textContent())
        .toContain('هذا الرمز غير صحيح')
      // Four attempts left: the Arabic "few" form.
      expect(await page.locator('.attempts').textContent()).toContain('تتبقّى 4 محاولات')
      expect(await page.locator('.sent-to .address').getAttribute('dir')).toBe('ltr')
      expect(await seriousAccessibilityViolations(page)).toEqual([])
      await screenshot(page, 'rtl-mobile-3-wrong-code')

      await page.locator('#code').pressSequentially(code)
      await page.locator('#verified-title').waitFor()
      expect(await page.locator('#verified-title').textContent()).toBe(
        'تم التحقق من البريد الإلكتروني',
      )
      expect(await page.getByTestId('token').getAttribute('dir')).toBe('ltr')
      expect(await seriousAccessibilityViolations(page)).toEqual([])
      await screenshot(page, 'rtl-mobile-4-verified')
      await page.close()
    })

    it('switches language from the switcher and remembers the choice on the next visit', async () => {
      const { page } = await openApp('en-US', looks[1])
      await page.locator('#language').selectOption('de')
      await expect.poll(() => page.locator('h1').textContent()).toBe('Mit E-Mail anmelden')
      expect(await documentLanguage(page)).toEqual(['de', 'ltr', 'ltr'])
      expect(await page.title()).toBe('E-Mail-Adresse bestätigen')
      expect(await page.locator('meta[name="description"]').getAttribute('content')).toBe(
        'Bestätigen Sie Ihre E-Mail-Adresse mit einem Einmalcode.',
      )
      expect(await page.getByLabel('Sprache').inputValue()).toBe('de')

      await page.reload()
      await page.locator('#email').waitFor()
      expect(await page.locator('h1').textContent()).toBe('Mit E-Mail anmelden')
      await page.locator('#language').selectOption('ar')
      await expect.poll(documentLanguage.bind(null, page)).toEqual(['ar', 'rtl', 'rtl'])
      await page.close()
    })
  },
)

describe.skipIf(!runBrowserTests)(
  'Web app in a language the product does not ship, with defaultLocale set',
  () => {
    const { stack } = useLocalStack({ webDir: webDist, settings: { defaultLocale: 'de' } })
    let browser: Browser | undefined
    beforeAll(async () => {
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
    })

    it('shows the page and writes the mail in the default language for a French browser', async () => {
      const page = await browser!.newPage({ locale: 'fr-FR' })
      await page.goto(stack().urls.web!)
      await page.locator('#email').waitFor()
      expect(await page.locator('h1').textContent()).toBe('Mit E-Mail anmelden')
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('de')

      await page.locator('#email').fill('francoise@example.com')
      await page.locator('#email').press('Enter')
      await page.locator('#code').waitFor()
      const deadline = Date.now() + 15_000
      let html = ''
      while (!html.includes('<html') && Date.now() < deadline) {
        const [mail] = (await readInbox(stack().urls.ses!)).filter((m) =>
          m.destination.to.includes('francoise@example.com'),
        )
        html = mail?.body.html ?? ''
        if (!html) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(html).toContain('<html lang="de" dir="ltr">')
      await page.close()
    })
  },
)
