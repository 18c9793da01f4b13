/**
 * Browser helpers for the end-to-end suites: Debian's Chromium through playwright-core,
 * an axe-core scan, the local SES inbox, and a paste the way a person pastes.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'

export const chromiumPath = '/usr/bin/chromium'
export const hasChromium = existsSync(chromiumPath)
/** Browser suites run when Chromium is installed, and always in CI (where a missing browser must fail). */
export const runBrowserTests = hasChromium || Boolean(process.env.CI)

if (!runBrowserTests) {
  console.warn(
    `Browser tests NOT RUN: ${chromiumPath} is missing. Install it with \`apt-get install chromium\`.`,
  )
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  })
}

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown[] }[]
}

/** Runs axe-core in the page and returns the `serious` and `critical` violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const require = createRequire(import.meta.url)
  await page.addScriptTag({ path: require.resolve('axe-core') })
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (options: object) => Promise<{ violations: AxeViolation[] }> }
      }
    ).axe
    return (await axe.run({ resultTypes: ['violations'] })).violations
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(
          violation.nodes.map((node) => node.target),
        )}`,
    )
}

interface StoredEmail {
  destination: { to: string[] }
  body: { text?: string; html?: string }
  at: number
}

/**
 * Waits for the newest mail to `to` in the local SES inbox (`GET <sesUrl>/store`) that `seen`
 * does not yet hold, and returns the `codeLength`-digit code in its text part.
 */
export async function readCodeFromInbox(
  sesUrl: string,
  to: string,
  codeLength: number,
  seen = 0,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs
  const pattern = new RegExp(`\\b(\\d{${codeLength}})\\b`)
  for (;;) {
    const store = (await (await fetch(new URL('/store', sesUrl))).json()) as {
      emails: StoredEmail[]
    }
    const mails = store.emails.filter((mail) => mail.destination.to.includes(to))
    const code = mails.length > seen ? pattern.exec(mails.at(-1)?.body.text ?? '')?.[1] : undefined
    if (code) return code
    if (Date.now() > deadline)
      throw new Error(`no new mail to ${to} in the local SES inbox after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Pastes `text` into the focused element as a clipboard paste would (a `paste` event carrying the data). */
export async function paste(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).focus()
  await page.evaluate(
    ([target, value]) => {
      const data = new DataTransfer()
      data.setData('text/plain', value)
      const event = new ClipboardEvent('paste', {
        clipboardData: data,
        bubbles: true,
        cancelable: true,
      })
      const element = document.querySelector<HTMLInputElement>(target)!
      // A browser inserts the text itself unless the page prevents it; mimic that default.
      if (element.dispatchEvent(event)) {
        element.value = value
        element.dispatchEvent(new Event('input', { bubbles: true }))
      }
    },
    [selector, text] as const,
  )
}
