import { existsSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import { findFreePort } from '../../infra/local/ports.js'
import { readInbox } from '../../infra/local/ses-local.js'
import { graphql, useLocalStack } from '../support/local-stack.js'
import { REQUEST_OTP, VERIFY_OTP, readSession, uniqueEmail } from '../otp/operations.js'
import { launchChromium, runBrowserTests, seriousAccessibilityViolations } from './browser.js'

const webDist = join(repoRoot, 'web/dist')
const screenshotDirs = [
  join(repoRoot, 'test-results/screenshots'),
  ...(process.env.UPDATE_README_SCREENSHOTS ? [join(repoRoot, 'docs/screenshots')] : []),
]
// The mail links to the web app the stack serves, so its port is chosen before the stack starts.
const apiPort = await findFreePort()
const linkBaseUrl = `http://localhost:${apiPort}/`

/** The link in the newest mail to `to` (text part), waiting for the mail. */
async function linkFromInbox(sesUrl: string, to: string): Promise<string> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const mail = (await readInbox(sesUrl)).filter((m) => m.destination.to.includes(to)).at(-1)
    const link = /^(http:\/\/localhost:\d+\/#s=[0-9a-f]{32}&c=\d+)$/m.exec(mail?.body.text ?? '')
    if (link?.[1]) return link[1]
    if (Date.now() > deadline) throw new Error(`no mail with a link to ${to}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe.skipIf(!runBrowserTests)('The mail’s link in Chromium against the local stack', () => {
  beforeAll(async () => {
    if (!existsSync(join(webDist, 'index.html'))) {
      await build({ configFile: join(repoRoot, 'web/vite.config.ts'), logLevel: 'warn' })
    }
  })
  const { stack } = useLocalStack({
    webDir: webDist,
    ports: { api: apiPort },
    settings: { linkBaseUrl, resendCooldownSeconds: 0 },
  })
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  /** Every GraphQL operation a page sends, by name. */
  function recordOperations(page: Page): string[] {
    const operations: string[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST')
        operations.push(
          String((request.postDataJSON() as { operationName?: string }).operationName),
        )
    })
    return operations
  }

  /** Requests a code through the API (as another browser would) and returns the session id and link. */
  async function requestByApi(): Promise<{ sessionId: string; link: string }> {
    const email = uniqueEmail('scanned')
    const body = await graphql(stack(), REQUEST_OTP, { email })
    return {
      sessionId: body.data.requestOtp.sessionId,
      link: await linkFromInbox(stack().urls.ses!, email),
    }
  }

  /** The session's state as DynamoDB holds it: untouched means PENDING with no attempt spent. */
  async function stateOf(sessionId: string) {
    const session = await readSession(stack(), sessionId)
    return { status: session?.status, attempts: session?.attempts }
  }
  const untouched = { status: 'PENDING', attempts: 0 }

  async function screenshot(page: Page, name: string): Promise<void> {
    for (const dir of screenshotDirs) await mkdir(dir, { recursive: true })
    const [first, ...copies] = screenshotDirs.map((dir) => join(dir, `${name}.png`))
    await page.screenshot({ path: first, fullPage: true })
    for (const copy of copies) await copyFile(first!, copy)
  }

  it.each([
    { locale: 'en-US', width: 1280, heading: 'Confirm your email address', confirm: 'Confirm' },
    { locale: 'ar-EG', width: 320, heading: 'تأكيد عنوان بريدك الإلكتروني', confirm: 'تأكيد' },
  ])(
    'confirms with one click in the browser that asked ($locale, $width px), and not before the click',
    async ({ locale, width, heading, confirm }) => {
      const context = await browser!.newContext({ locale, viewport: { width, height: 720 } })
      const start = await context.newPage()
      await start.goto(stack().urls.web!)
      const email = uniqueEmail('same-browser')
      await start.locator('#email').fill(email)
      await start.locator('#email').press('Enter')
      await start.locator('#code').waitFor()
      const link = await linkFromInbox(stack().urls.ses!, email)
      const sessionId = /#s=([0-9a-f]{32})/.exec(link)![1]!
      const code = /&c=(\d+)/.exec(link)![1]!

      // The mail client opens the link in a new tab of the same browser.
      const page = await context.newPage()
      const operations = recordOperations(page)
      await page.goto(link)
      await page.getByRole('heading', { name: heading }).waitFor()
      expect(page.url()).toBe(linkBaseUrl)
      expect(await page.locator('#link-code').inputValue()).toBe(code)
      expect(await page.getByRole('button').allTextContents()).toEqual([confirm])
      expect(await seriousAccessibilityViolations(page)).toEqual([])
      if (locale === 'ar-EG') await screenshot(page, 'rtl-mobile-5-link-confirm')
      await page.waitForLoadState('networkidle')
      expect(operations).toEqual([])
      expect(await stateOf(sessionId)).toEqual(untouched)

      await page.getByRole('button', { name: confirm }).click()
      await page.locator('#verified-title').waitFor()
      expect(operations).toEqual(['VerifyOtp'])
      expect(await stateOf(sessionId)).toMatchObject({ status: 'VERIFIED' })
      await context.close()
    },
  )

  it('verifies nothing when the link is fetched as a scanner fetches it, and the code still works', async () => {
    const { sessionId, link } = await requestByApi()

    const response = await fetch(link, { headers: { 'user-agent': 'LinkScanner/1.0' } })
    expect(response.status).toBe(200)
    await response.text()

    expect(await stateOf(sessionId)).toEqual(untouched)
    const code = /&c=(\d+)/.exec(link)![1]!
    const verified = await graphql(stack(), VERIFY_OTP, { sessionId, code })
    expect(verified.data.verifyOtp.status).toBe('VERIFIED')
  })

  it('verifies nothing when a headless browser loads the link and runs its scripts in a fresh context', async () => {
    const { sessionId, link } = await requestByApi()
    const context = await browser!.newContext()
    const page = await context.newPage()
    const operations = recordOperations(page)

    await page.goto(link, { waitUntil: 'networkidle' })
    await page.getByRole('heading', { name: 'Type this code where you started' }).waitFor()

    expect(operations).toEqual([])
    expect(await page.getByRole('button', { name: 'Confirm' }).count()).toBe(0)
    expect(await stateOf(sessionId)).toEqual(untouched)
    await context.close()
  })

  it.each([
    { locale: 'en-US', width: 320, heading: 'Type this code where you started' },
    {
      locale: 'de-DE',
      width: 1280,
      heading: 'Geben Sie diesen Code dort ein, wo Sie begonnen haben',
    },
    { locale: 'ar-EG', width: 320, heading: 'اكتب هذا الرمز حيث بدأت' },
  ])(
    'shows another browser ($locale, $width px) the code to type where the person started, passing axe',
    async ({ locale, width, heading }) => {
      const { sessionId, link } = await requestByApi()
      const context = await browser!.newContext({ locale, viewport: { width, height: 720 } })
      const page = await context.newPage()

      await page.goto(link)
      await page.getByRole('heading', { name: heading }).waitFor()

      expect(await page.getByTestId('link-code').textContent()).toBe(/&c=(\d+)/.exec(link)![1])
      expect(page.url()).toBe(linkBaseUrl)
      expect(await seriousAccessibilityViolations(page)).toEqual([])
      if (locale === 'ar-EG') await screenshot(page, 'rtl-mobile-6-link-elsewhere')
      expect(await stateOf(sessionId)).toEqual(untouched)
      await context.close()
    },
  )
})
