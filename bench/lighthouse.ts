/**
 * Page speed: Lighthouse 12 (performance only) on the built web app served by the local stack,
 * in Debian's Chromium, with Lighthouse's mobile (simulated slow 4G, 4x CPU slowdown) and desktop
 * settings. Each form factor runs `runs` times; the median score is reported with its metrics.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { launch } from 'chrome-launcher'
import lighthouse, { desktopConfig } from 'lighthouse'
import { repoRoot } from '../infra/api.js'
import { startLocalStack } from '../infra/local/stack.js'
import { formatTable } from './stats.js'

const chromiumPath = '/usr/bin/chromium'
/** The bar: a score of at least 95 in each form factor. */
export const lighthouseTarget = 95

export interface LighthouseRun {
  formFactor: 'mobile' | 'desktop'
  /** 0..100, the median run. */
  score: number
  scores: number[]
  firstContentfulPaintMs: number
  largestContentfulPaintMs: number
  totalBlockingTimeMs: number
  cumulativeLayoutShift: number
  speedIndexMs: number
}

export interface LighthouseReport {
  lighthouseVersion: string
  url: string
  target: number
  runs: LighthouseRun[]
}

const median = <T>(items: T[], key: (item: T) => number): T =>
  [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)] as T

/** Runs Lighthouse against a local stack it starts on free ports and stops afterwards. */
export async function measureLighthouse(runs = 3): Promise<LighthouseReport> {
  const webDir = join(repoRoot, 'web/dist')
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing`)
  if (!existsSync(join(webDir, 'index.html')))
    throw new Error('web/dist is missing: npm run build:web')
  const stack = await startLocalStack({
    env: {},
    quiet: true,
    email: false,
    webDir,
    ports: { api: 0, dynamodb: 0, ses: 0 },
  })
  const chrome = await launch({
    chromePath: chromiumPath,
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    logLevel: 'silent',
  })
  try {
    const url = stack.urls.web as string
    let version = ''
    const results: LighthouseRun[] = []
    for (const formFactor of ['mobile', 'desktop'] as const) {
      const each: LighthouseRun[] = []
      for (let run = 0; run < runs; run += 1) {
        const result = await lighthouse(
          url,
          { port: chrome.port, logLevel: 'error', onlyCategories: ['performance'] },
          formFactor === 'desktop' ? desktopConfig : undefined,
        )
        if (!result) throw new Error('Lighthouse returned no result')
        const { lhr } = result
        version = lhr.lighthouseVersion
        const metric = (id: string) => Math.round(lhr.audits[id]?.numericValue ?? NaN)
        each.push({
          formFactor,
          score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
          scores: [],
          firstContentfulPaintMs: metric('first-contentful-paint'),
          largestContentfulPaintMs: metric('largest-contentful-paint'),
          totalBlockingTimeMs: metric('total-blocking-time'),
          cumulativeLayoutShift: lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN,
          speedIndexMs: metric('speed-index'),
        })
      }
      results.push({ ...median(each, (r) => r.score), scores: each.map((r) => r.score) })
    }
    return { lighthouseVersion: version, url, target: lighthouseTarget, runs: results }
  } finally {
    chrome.kill()
    await stack.stop()
  }
}

export function printLighthouse(report: LighthouseReport): void {
  console.log(
    formatTable(
      [
        'form factor',
        'score (median)',
        'runs',
        'FCP ms',
        'LCP ms',
        'TBT ms',
        'CLS',
        'SI ms',
        `≥ ${report.target}`,
      ],
      report.runs.map((r) => [
        r.formFactor,
        r.score,
        r.scores.join(' '),
        r.firstContentfulPaintMs,
        r.largestContentfulPaintMs,
        r.totalBlockingTimeMs,
        r.cumulativeLayoutShift.toFixed(3),
        r.speedIndexMs,
        r.score >= report.target ? 'yes' : 'NO',
      ]),
    ),
  )
  console.log(`Lighthouse ${report.lighthouseVersion}, performance only, ${report.url}`)
}
