/** Small statistics and table helpers for the benchmark: nearest-rank percentiles, fixed-width tables. */

export interface LatencySummary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

/**
 * The nearest-rank percentile of an ascending list: the smallest sample with at least `p`
 * percent of the samples at or below it. NaN for an empty list.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

/** p50/p95/p99/max/mean of samples in milliseconds, rounded to 0.1 ms. */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const sum = sorted.reduce((total, value) => total + value, 0)
  const round = (value: number) => Math.round(value * 10) / 10
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(sorted.length ? sum / sorted.length : Number.NaN),
  }
}

/** Rounds to `digits` decimals (for figures written to JSON). */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

export type Cell = string | number | undefined

/** Renders rows as a left-aligned text table with a header rule; numbers are right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (cell: Cell) =>
    cell === undefined ? '-' : typeof cell === 'number' ? formatNumber(cell) : cell
  const cells = [header.map(text), ...rows.map((row) => row.map(text))]
  const widths = header.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  )
  const line = (row: readonly string[], source: readonly Cell[]) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0
        return typeof source[column] === 'number' ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  const [head = [], ...body] = cells
  return [
    line(head, header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map((row, i) => line(row, rows[i] ?? [])),
  ].join('\n')
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '-'
  if (Number.isInteger(value)) return String(value)
  if (Math.abs(value) >= 100) return value.toFixed(0)
  return Math.abs(value) >= 1 ? value.toFixed(2) : String(Number(value.toPrecision(3)))
}
