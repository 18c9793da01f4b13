/**
 * The delivery state live in Chromium against the local stack (S14): the page subscribes with
 * aws-appsync-subscription-link to the local real-time endpoint, the local SES mailbox simulator
 * reports what happened to the mail, and the code step says so. axe checks each new state at
 * 320 px and on the desktop.
 */
import { existsSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import { useLocalStack } from '../support/local-stack.js'
import { launchChromium, runBrowserTests, seriousAccessibilityViolations } from './browser.js'

const webDist = join(repoRoot, 'web/dist')
// Screenshots are test artifacts; `UPDATE_README_SCREENSHOTS=1` also refreshes the README's copies.
const screenshotDirs = [
  join(repoRoot, 'test-results/screenshots'),
  ...(process.env.UPDATE_README_SCREENSHOTS ? [join(repoRoot, 'docs/screenshots')] : []),
]
const desktop = { width: 1280, height: 800 }
const mobile = { width: 320, height: 720 }

describe.skipIf(!runBrowserTests)('Web app: the delivery state, live, in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(join(webDist, 'index.html')))
      await build({ configFile: join(repoRoot, 'web/vite.config.ts'), logLevel: 'warn' })
  })
  const { stack } = useLocalStack({ webDir: webDist })
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  async function openApp(colorScheme: 'light' | 'dark', size: typeof desktop): Promise<Page> {
    const page = await browser!.newPage({ viewport: size, colorScheme })
    await page.goto(stack().urls.web!)
    await page.locator('#email').waitFor()
    return page
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    for (const dir of screenshotDirs) await mkdir(dir, { recursive: true })
    const [first, ...copies] = screenshotDirs.map((dir) => join(dir, `${name}.png`))
    await page.screenshot({ path: first, fullPage: true })
    for (const copy of copies) await copyFile(first!, copy)
  }

  /** No serious accessibility problem in the state shown, at 320 px and on the desktop. */
  async function expectAccessibleAtBothSizes(page: Page): Promise<void> {
    for (const size of [mobile, desktop]) {
      await page.setViewportSize(size)
      expect(await seriousAccessibilityViolations(page), `${size.width} px`).toEqual([])
    }
  }

  async function requestCode(page: Page, email: string): Promise<void> {
    await page.locator('#email').fill(email)
    await page.locator('#email').press('Enter')
    await page.locator('#code').waitFor()
  }

  const delivery = (page: Page) => page.getByTestId('delivery')

  it('tells a success@simulator.amazonses.com reader that the mail reached their provider, once, politely', async () => {
    const page = await openApp('light', desktop)
    await requestCode(page, 'success@simulator.amazonses.com')

    await page.locator('[data-testid="delivery"][data-status="DELIVERED"]').waitFor()
    const sentence = 'Delivered to your mail provider — it should be in your inbox'
    expect(await delivery(page).locator('p').textContent()).toBe(sentence)
    await expect.poll(() => page.getByTestId('live-delivery').textContent()).toContain(sentence)
    expect(await page.getByTestId('live-delivery').getAttribute('aria-live')).toBe('polite')
    // Pushed over the real-time endpoint: the page still holds its subscription (DELIVERED may
    // yet become COMPLAINED), rather than having fallen back to reading.
    expect(stack().graphql.subscriptionCount()).toBe(1)
    await screenshot(page, 'light-desktop-4-delivered')
    await expectAccessibleAtBothSizes(page)
    await page.close()
  })

  it('tells a bounce@simulator.amazonses.com reader the address cannot receive mail, and lets them fix it there (320 px, dark)', async () => {
    const page = await openApp('dark', mobile)
    const address = 'bounce@simulator.amazonses.com'
    await requestCode(page, address)

    await page.locator('[data-testid="delivery"][data-status="BOUNCED"]').waitFor()
    expect(await delivery(page).locator('p').textContent()).toBe(
      `${address} can’t receive mail. Check it for typos.`,
    )
    await screenshot(page, 'dark-mobile-5-bounced')
    await expectAccessibleAtBothSizes(page)

    await delivery(page).getByRole('button', { name: 'Change the address' }).click()
    await page.locator('#email').waitFor()
    expect(await page.locator('#email').inputValue()).toBe(address)
    // The bounce suppressed the mailbox: asking again is refused on the address step.
    await page.locator('#email').press('Enter')
    await expect
      .poll(() => page.getByTestId('status').textContent())
      .toContain('This address can’t receive our mail. Check it or use another.')
    expect(await page.locator('#code').count()).toBe(0)
    await page.close()
  })
})
