import { existsSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import { signedGraphql, useLocalStack } from '../support/local-stack.js'
import {
  launchChromium,
  paste,
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

describe.skipIf(!runBrowserTests)('Web app in Chromium against the local stack', () => {
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

  async function openApp(look: {
    colorScheme: 'light' | 'dark'
    width: number
    height: number
  }): Promise<Page> {
    const page = await browser!.newPage({
      viewport: { width: look.width, height: look.height },
      colorScheme: look.colorScheme,
    })
    await page.goto(stack().urls.web!)
    await page.locator('#email').waitFor()
    return page
  }

  /** Saves a screenshot for the README and checks the step has no serious accessibility problem. */
  async function record(page: Page, name: string): Promise<void> {
    for (const dir of screenshotDirs) await mkdir(dir, { recursive: true })
    const [first, ...copies] = screenshotDirs.map((dir) => join(dir, `${name}.png`))
    await page.screenshot({ path: first, fullPage: true })
    for (const copy of copies) await copyFile(first!, copy)
    expect(await seriousAccessibilityViolations(page)).toEqual([])
  }

  const focusedId = (page: Page): Promise<string | undefined> =>
    page.evaluate(() => document.activeElement?.id)

  async function requestCode(page: Page, email: string): Promise<string> {
    const { urls, settings } = stack()
    await page.locator('#email').fill(email)
    await page.locator('#email').press('Enter')
    await page.locator('#code').waitFor()
    if (!urls.ses)
      throw new Error('the local stack started without local SES, so no code can be read')
    // The API mails the normalised address.
    return readCodeFromInbox(urls.ses, email.trim().toLowerCase(), settings.codeLength)
  }

  it('verifies an address from a pasted emailed code, and a backend redeems the token once', async () => {
    const page = await openApp({ colorScheme: 'light', width: 1280, height: 800 })
    expect(await focusedId(page)).toBe('email')
    await record(page, 'light-desktop-1-email')

    const code = await requestCode(page, 'Ada.Lovelace@Example.com')
    expect(await focusedId(page)).toBe('code')
    await expect
      .poll(() => page.locator('.sent-to .address').textContent())
      .toBe('ada.lovelace@example.com')
    await record(page, 'light-desktop-2-code')

    await paste(page, '#code', `${code.slice(0, 3)} ${code.slice(3)}`)
    await page.locator('#verified-title').waitFor()
    expect(await focusedId(page)).toBe('verified-title')
    const token = (await page.getByTestId('token').textContent()) ?? ''
    await record(page, 'light-desktop-3-verified')

    const redeem =
      'mutation Redeem($token: String!) { redeemVerification(token: $token) { email } }'
    const first = await signedGraphql<{ redeemVerification: { email: string } | null }>(
      stack(),
      redeem,
      { token },
    )
    const second = await signedGraphql<{ redeemVerification: { email: string } | null }>(
      stack(),
      redeem,
      { token },
    )
    expect(first.data?.redeemVerification?.email).toBe('ada.lovelace@example.com')
    expect(second.data?.redeemVerification).toBeNull()
    await page.close()
  })

  it('shows the attempts remaining after a wrong code, then accepts the right one typed in (320 px, dark)', async () => {
    const page = await openApp({ colorScheme: 'dark', width: 320, height: 640 })
    await record(page, 'dark-mobile-1-email')
    const code = await requestCode(page, 'grace.hopper@example.com')
    await record(page, 'dark-mobile-2-code')

    const wrong = code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10)
    await page.locator('#code').pressSequentially(wrong)
    const attemptsLeft = stack().settings.maxAttempts - 1
    await expect
      .poll(() => page.getByTestId('status').textContent())
      .toContain(`${attemptsLeft} attempts left`)
    await expect
      .poll(() => page.getByTestId('live-assertive').textContent())
      .toContain('That code isn’t right.')
    expect(await focusedId(page)).toBe('code')
    await record(page, 'dark-mobile-3-wrong-code')

    await page.locator('#code').pressSequentially(code)
    await page.locator('#verified-title').waitFor()
    await record(page, 'dark-mobile-4-verified')
    await page.close()
  })
})
