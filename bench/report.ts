/** Printing each group's table, flagging figures far from the limit, and writing the JSON results. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { repoRoot } from '../infra/api.js'
import type { CostEstimate } from './cost.js'
import type { MailPathReport } from './mail-path.js'
import type { SizeReport } from './sizes.js'
import type { StartupReport } from './startup.js'
import { formatTable, round } from './stats.js'
import type { ProfileSummary } from './profile.js'
import type { CpuUse, ThroughputReport } from './throughput.js'
import type { InboxReport } from './time-to-inbox.js'

/** Where a figure stops being "close to the limit" and deserves a look (see docs/benchmarks.md). */
export const THRESHOLDS = { ratio: 0.8, p99AtEightMs: 50, inboxP95Ms: 1000 }

const attention = (message: string) => console.log(`  attention: ${message}`)

export function printThroughput(report: ThroughputReport): void {
  console.log(
    `${report.seconds} s per run, closed loop (each worker starts its next flow when the last one ends)`,
  )
  console.log(
    formatTable(
      [
        'c',
        'raw flows/s',
        'product flows/s',
        'ratio',
        'requestOtp p50/p95/p99 ms',
        'verifyOtp p50/p95/p99 ms',
        'CPU % node/java: raw | product',
        'errors',
      ],
      report.levels.map((l) => [
        l.concurrency,
        round(l.raw.flowsPerSecond, 1),
        round(l.product.flowsPerSecond, 1),
        round(l.ratio, 2),
        `${l.latencyMs.requestOtp.p50} / ${l.latencyMs.requestOtp.p95} / ${l.latencyMs.requestOtp.p99}`,
        `${l.latencyMs.verifyOtp.p50} / ${l.latencyMs.verifyOtp.p95} / ${l.latencyMs.verifyOtp.p99}`,
        `${cpu(l.raw.cpu)} | ${cpu(l.product.cpu)}`,
        l.raw.errors + l.product.errors,
      ]),
    ),
  )
  for (const level of report.levels) {
    const firstError = level.product.firstError ?? level.raw.firstError
    if (firstError) attention(`c=${level.concurrency}: ${firstError}`)
    if (level.ratio < THRESHOLDS.ratio)
      attention(
        `c=${level.concurrency}: the product reaches ${round(
          level.ratio * 100,
          0,
        )}% of the raw flow`,
      )
    const p99 = Math.max(level.latencyMs.requestOtp.p99, level.latencyMs.verifyOtp.p99)
    if (level.concurrency === 8 && p99 > THRESHOLDS.p99AtEightMs)
      attention(`c=8: p99 ${p99} ms is over ${THRESHOLDS.p99AtEightMs} ms`)
  }
  console.log(
    'Where a flow spends its time (mean ms; DynamoDB = every call the flow makes, code lookup included):',
  )
  console.log(
    formatTable(
      [
        'c',
        'raw flow ms',
        'raw DynamoDB ms (calls)',
        'product flow ms',
        'product DynamoDB ms (calls)',
        'product rest ms',
      ],
      report.levels.map((l) => [
        l.concurrency,
        l.raw.time.flowMs,
        `${l.raw.time.dynamodbMs} (${l.raw.time.dynamodbCalls})`,
        l.product.time.flowMs,
        l.product.time.dynamodbCalls > 0
          ? `${l.product.time.dynamodbMs} (${l.product.time.dynamodbCalls})`
          : 'not timed',
        l.product.time.dynamodbCalls > 0
          ? round(l.product.time.flowMs - l.product.time.dynamodbMs, 1)
          : undefined,
      ]),
    ),
  )
  for (const level of report.levels)
    if (level.profile) printProfile(level.concurrency, level.profile)
  const u = report.rawUnitsPerFlow
  console.log(
    `Raw flow units (SDK): ${u.readUnits} read, ${u.writeUnits} write as DynamoDB Local reports, ${u.billedWriteUnits} write as DynamoDB bills`,
  )
  const m = report.metered
  if (m) {
    console.log(
      `Server tally over ${m.flows} sequential flows: ${m.appsyncRequestsPerFlow} API requests per flow (redeem included); ` +
        `request+verify ${m.flow.readUnits} read / ${m.flow.writeUnits} write units` +
        (m.redeem ? `; redeem ${m.redeem.readUnits} read / ${m.redeem.writeUnits} write` : ''),
    )
  } else {
    console.log('Server tally: not available (a stack the bench did not start)')
  }
}

const cpu = (use: CpuUse) => `${use.benchProcess}/${use.dynamodbLocal ?? '-'}`

function printProfile(concurrency: number, profile: ProfileSummary): void {
  console.log(
    `CPU profile of the bench process (load generator + API server), product run at c=${concurrency}: ${profile.file}`,
  )
  console.log(
    formatTable(
      ['part', 'share of samples'],
      profile.parts.map((p) => [p.part, `${(p.share * 100).toFixed(1)}%`]),
    ),
  )
  console.log(
    formatTable(
      ['function (self time)', 'share'],
      profile.functions.map((f) => [f.name, `${(f.share * 100).toFixed(1)}%`]),
    ),
  )
}

export function printMailPath(report: MailPathReport): void {
  const batches = Object.entries(report.batchSizes)
    .map(([size, count]) => `${count}x${size}`)
    .join(', ')
  console.log(
    formatTable(
      [
        'sessions',
        'mails',
        'invocations',
        'batches (count x size)',
        'handler ms p50/p95/max',
        'DynamoDB w/r per mail',
        'dead letters',
      ],
      [
        [
          report.sessions,
          report.mailsSent,
          report.invocations,
          batches,
          `${report.handlerMs.p50} / ${report.handlerMs.p95} / ${report.handlerMs.max}`,
          `${round(report.usage.writeUnits, 2)} / ${round(report.usage.readUnits, 2)}`,
          report.deadLetters,
        ],
      ],
    ),
  )
}

export function printInbox(report: InboxReport): void {
  const l = report.latency
  console.log(
    formatTable(
      ['requests', 'delivered', 'p50 ms', 'p95 ms', 'max ms', 'duplicates'],
      [[report.requests, report.delivered, l.p50, l.p95, l.max, report.duplicates]],
    ),
  )
  if (report.delivered < report.requests)
    attention(`${report.requests - report.delivered} mails did not arrive within the timeout`)
  if (l.p95 > THRESHOLDS.inboxP95Ms)
    attention(`p95 ${l.p95} ms is over ${THRESHOLDS.inboxP95Ms} ms`)
}

export function printCost(result: {
  thisDesign: CostEstimate
  referenceDesign: CostEstimate
  twilioVerify: CostEstimate
  pricesTakenOn: string
}): void {
  for (const estimate of [result.thisDesign, result.referenceDesign]) {
    console.log(`\n${estimate.design}`)
    console.log(
      formatTable(
        ['item', 'per flow', 'USD per million flows', 'price'],
        [
          ...estimate.lines.map((l) => [
            l.item,
            l.perFlow,
            l.perMillionUsd,
            l.priceStatus.split(' ')[0],
          ]),
          ['total', undefined, estimate.totalPerMillionUsd, undefined],
        ],
      ),
    )
    for (const note of estimate.notes) console.log(`  ${note}`)
  }
  console.log(
    `\nTwilio Verify: ${
      result.twilioVerify.totalPerMillionUsd
    } USD per million successful verifications. ${result.twilioVerify.notes.join(' ')}`,
  )
  console.log(`Prices from bench/prices.json, taken ${result.pricesTakenOn}.`)
}

export function printSizes(report: SizeReport): void {
  console.log(
    formatTable(
      ['resolver bundle', 'characters', 'of which source map', `share of ${report.appsyncLimit}`],
      report.bundles.map((b) => [
        b.name,
        b.characters,
        b.sourceMapCharacters,
        `${(b.shareOfLimit * 100).toFixed(1)}%`,
      ]),
    ),
  )
  if ('notAvailable' in report.web) {
    console.log(`web app: not available: ${report.web.notAvailable}`)
    return
  }
  const rows = [...report.web.js, ...report.web.css].map((a) => [a.file, a.bytes, a.gzipBytes])
  console.log(formatTable(['web asset', 'bytes', 'gzip bytes'], rows))
  const { initialLoad } = report.web
  console.log(
    formatTable(
      [
        'first visit in',
        'JS files',
        'JS bytes',
        'JS gzip bytes',
        `≤ ${initialLoad.budgetGzipBytes}`,
      ],
      initialLoad.locales.map((load) => [
        load.locale,
        load.files.length,
        load.bytes,
        load.gzipBytes,
        load.withinBudget ? 'yes' : 'NO',
      ]),
    ),
  )
}

export function printStartup(report: StartupReport): void {
  console.log(
    formatTable(
      ['npm start to ready s', 'build s', 'start only s', 'stop s', 'left behind'],
      [
        [
          round(report.totalSeconds, 1),
          round(report.buildSeconds, 1),
          round(report.startOnlySeconds, 1),
          round(report.stopSeconds, 1),
          report.leftBehind.length === 0 ? 'nothing' : report.leftBehind.join('; '),
        ],
      ],
    ),
  )
}

/** Writes bench/results/latest.json and a dated copy; returns both paths (repository-relative). */
export async function writeResults(
  results: Record<string, unknown> & { date: string },
): Promise<string[]> {
  const dir = join(repoRoot, 'bench/results')
  await mkdir(dir, { recursive: true })
  const json = `${JSON.stringify(results, null, 2)}\n`
  const files = ['latest.json', `${results.date.replace(/:/g, '-').replace(/\..*$/, '')}.json`]
  await Promise.all(files.map((file) => writeFile(join(dir, file), json)))
  return files.map((file) => `bench/results/${file}`)
}
