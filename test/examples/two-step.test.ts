import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redeemVerification } from '../../examples/redeem-verification.js'
import { startTwoStepApp, type TwoStepApp } from '../../examples/two-step/server/app.js'
import { hashPassword } from '../../examples/two-step/server/passwords.js'
import { SESSION_COOKIE } from '../../examples/two-step/server/session-cookie.js'
import { createExampleStore } from '../../examples/two-step/server/store.js'
import { repoRoot } from '../../infra/api.js'
import { readInbox } from '../../infra/local/ses-local.js'
import { useLocalStack } from '../support/local-stack.js'
import {
  launchChromium,
  readCodeFromInbox,
  runBrowserTests,
  seriousAccessibilityViolations,
} from '../e2e/browser.js'

const webRoot = join(repoRoot, 'examples/two-step/web')
// Screenshots are test artifacts; `UPDATE_README_SCREENSHOTS=1` also refreshes the README's copies.
const screenshotDirs = [
  join(repoRoot, 'test-results/screenshots'),
  ...(process.env.UPDATE_README_SCREENSHOTS ? [join(repoRoot, 'docs/screenshots')] : []),
]

const ada = { email: 'ada@example.com', password: 'correct horse battery staple' }
const eve = { email: 'eve@example.com', password: 'eve has her own account' }

/**
 * The seed's scenario end to end: a password, then the emailed code, in the example relying app
 * (examples/two-step) served against the local stack, driven in Chromium.
 */
describe.skipIf(!runBrowserTests)('examples/two-step in Chromium against the local stack', () => {
  // Built afresh for this suite (into a directory of its own): a page left over from an older
  // build would test old code.
  let webDist: string | undefined
  beforeAll(async () => {
    webDist = await mkdtemp(join(tmpdir(), 'two-step-web-'))
    await build({
      configFile: join(webRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: webDist, emptyOutDir: true },
    })
  })
  afterAll(async () => {
    if (webDist) await rm(webDist, { recursive: true, force: true })
  })
  // Here one address signs in many times within a minute.
  const { stack } = useLocalStack({
    webDir: false,
    settings: { resendCooldownSeconds: 0, maxSendsPerWindow: 50 },
  })
  let app: TwoStepApp | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    const local = stack()
    const store = createExampleStore(local.dynamodb, 'two-step-example-test')
    await store.createTable()
    for (const user of [ada, eve])
      await store.putUser({ email: user.email, passwordHash: await hashPassword(user.password) })
    app = await startTwoStepApp({
      port: 0,
      store,
      redeem: (token) =>
        redeemVerification(token, {
          apiUrl: local.urls.api,
          region: local.iam.region,
          credentials: local.iam,
        }),
      pageConfig: { apiUrl: local.urls.api, apiKey: local.apiKey, appName: 'Two-step sign-in' },
      webDir: webDist!,
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  const contexts: BrowserContext[] = []
  afterAll(async () => {
    for (const context of contexts) await context.close()
  })

  /**
   * A fresh browser (its own cookies) on the sign-in page, under the page's Content Security
   * Policy unless `axe` asks to inject the accessibility checker.
   */
  async function openApp(options: { axe?: boolean } = {}): Promise<Page> {
    const context = await browser!.newContext({
      viewport: { width: 1280, height: 800 },
      bypassCSP: options.axe ?? false,
    })
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(app!.url)
    await page.locator('#email').waitFor()
    return page
  }

  const mailsTo = async (address: string): Promise<number> =>
    (await readInbox(stack().urls.ses!)).filter((mail) => mail.destination.to.includes(address))
      .length

  async function enterPassword(page: Page, user: { email: string; password: string }) {
    await page.locator('#email').fill(user.email)
    await page.locator('#password').fill(user.password)
    await page.locator('#password').press('Enter')
  }

  /** The password step, then the code step up to the code from the inbox (not yet typed). */
  async function passwordThenCode(page: Page, user: { email: string; password: string }) {
    const seen = await mailsTo(user.email)
    await enterPassword(page, user)
    await page.locator('#code').waitFor()
    return readCodeFromInbox(stack().urls.ses!, user.email, stack().settings.codeLength, seen)
  }

  /**
   * Records every token the page posts to its server. `swap` replaces it on the way (a token
   * injected into this attempt); `hold` keeps the first one from reaching the server at all.
   */
  async function watchTokens(page: Page, mode: { swap?: string; hold?: true } = {}) {
    const posted: string[] = []
    await page.route(
      '**/api/verify',
      async (route) => {
        posted.push((route.request().postDataJSON() as { token: string }).token)
        if (mode.hold) return route.abort()
        if (!mode.swap) return route.continue()
        await route.continue({ postData: JSON.stringify({ token: mode.swap }) })
      },
      { times: 1 },
    )
    return posted
  }

  const signedInAs = async (page: Page) => {
    const response = await page.request.get(new URL('/api/me', app!.url).href)
    return response.ok() ? ((await response.json()) as { email: string }).email : null
  }

  async function record(page: Page, name: string): Promise<void> {
    for (const dir of screenshotDirs) await mkdir(dir, { recursive: true })
    const [first, ...copies] = screenshotDirs.map((dir) => join(dir, `${name}.png`))
    await page.screenshot({ path: first, fullPage: true })
    for (const copy of copies) await copyFile(first!, copy)
    expect(await seriousAccessibilityViolations(page)).toEqual([])
  }

  it('refuses a wrong password, and no code is mailed', async () => {
    const page = await openApp()
    const before = await mailsTo(ada.email)

    await enterPassword(page, { email: ada.email, password: 'not the password' })

    await expect
      .poll(() => page.locator('#password-problem').textContent())
      .toBe('That email and password don’t match an account.')
    expect(await page.locator('#code').count()).toBe(0)
    // Give a mail the time to arrive, were one on its way.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(await mailsTo(ada.email)).toBe(before)
    expect(await page.context().cookies()).toEqual([])
  })

  it('signs the person in after the right password and the code from the inbox', async () => {
    const page = await openApp({ axe: true })
    await page.locator('#email').fill(ada.email)
    await page.locator('#password').fill(ada.password)
    await record(page, 'two-step-1-password')

    const code = await passwordThenCode(page, ada)
    await record(page, 'two-step-2-code')
    await page.locator('#code').pressSequentially(code)

    await page.locator('#signed-in-title').waitFor()
    expect(await page.locator('.step .address').textContent()).toBe(ada.email)
    expect(await signedInAs(page)).toBe(ada.email)
    await record(page, 'two-step-3-signed-in')
    await page.reload()
    await page.locator('#signed-in-title').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.locator('#password').waitFor()
    expect(await signedInAs(page)).toBeNull()
  })

  it('keeps the session in a cookie that is HttpOnly, Secure, SameSite=Lax and host-only, and replaces it on sign-in', async () => {
    const page = await openApp()
    const code = await passwordThenCode(page, ada)
    const [attemptCookie] = await page.context().cookies()

    await page.locator('#code').pressSequentially(code)
    await page.locator('#signed-in-title').waitFor()
    const cookies = await page.context().cookies()

    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({
      name: SESSION_COOKIE,
      domain: 'localhost',
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
    })
    expect(cookies[0]!.name.startsWith('__Host-')).toBe(true)
    expect(cookies[0]!.value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // A new id once signed in: whoever knew the attempt's cookie holds nothing now.
    expect(attemptCookie?.value).toBeDefined()
    expect(cookies[0]!.value).not.toBe(attemptCookie?.value)
    expect(await page.evaluate(() => document.cookie)).toBe('')
  })

  it.each([
    ['the same person’s (a stolen token: only the nonce tells them apart)', ada],
    ['the attacker’s own account (login CSRF)', eve],
  ])(
    'refuses a token earned in another attempt, in another browser, for %s, and that token is spent',
    async (_case, other) => {
      // Prepare: another browser earns a token and never posts it.
      const otherPage = await openApp()
      const held = await watchTokens(otherPage, { hold: true })
      const otherCode = await passwordThenCode(otherPage, other)
      await otherPage.locator('#code').pressSequentially(otherCode)
      await expect.poll(() => held.length).toBe(1)
      const earnedElsewhere = held[0]!

      // Act: this attempt's own post carries the other token instead (token injection).
      const page = await openApp()
      const posted = await watchTokens(page, { swap: earnedElsewhere })
      const code = await passwordThenCode(page, ada)
      await page.locator('#code').pressSequentially(code)

      // Assess
      await expect
        .poll(() => page.locator('#password-problem').textContent())
        .toBe('That confirmation was for another sign-in. Sign in again.')
      expect(posted).toHaveLength(1)
      expect(posted[0]).not.toBe(earnedElsewhere)
      expect(await signedInAs(page)).toBeNull()
      // Redeeming it to learn whose it was spent it: its own attempt cannot use it any more.
      expect(await postToken(otherPage, earnedElsewhere)).toEqual({
        status: 403,
        body: { error: 'TOKEN_SPENT_OR_EXPIRED' },
      })
    },
  )

  it('refuses a replayed token, one that already signed someone in', async () => {
    // Prepare
    const first = await openApp()
    const used = await watchTokens(first)
    const firstCode = await passwordThenCode(first, ada)
    await first.locator('#code').pressSequentially(firstCode)
    await first.locator('#signed-in-title').waitFor()
    const replayed = used[0]!

    // Act
    const page = await openApp()
    await watchTokens(page, { swap: replayed })
    const code = await passwordThenCode(page, ada)
    await page.locator('#code').pressSequentially(code)

    // Assess
    await expect
      .poll(() => page.locator('#password-problem').textContent())
      .toBe('That confirmation was already used or has expired. Sign in again.')
    expect(await signedInAs(page)).toBeNull()
    expect(await postToken(first, replayed)).toEqual({ status: 401, body: { error: 'NO_ATTEMPT' } })
  })

  it('refuses a POST that is not JSON, as a form on another site would send it', async () => {
    const response = await fetch(new URL('/api/password', app!.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(ada).toString(),
    })
    expect(response.status).toBe(415)
    expect(response.headers.get('set-cookie')).toBeNull()
  })
})

/** POSTs `token` to the page's own server from inside the page, with its cookie. */
function postToken(page: Page, token: string): Promise<{ status: number; body: unknown }> {
  return page.evaluate(async (value) => {
    const response = await fetch('/api/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: value }),
    })
    return { status: response.status, body: await response.json() }
  }, token)
}
