/**
 * `util.time`: the clock and epoch-millisecond conversions. The `DateTimeFormatter` pattern helpers
 * (`nowFormatted`, `epochMilliSecondsToFormatted`, `parseFormattedToEpochMilliSeconds`) and ISO
 * parsing (`parseISO8601ToEpochMilliSeconds`) are refused: Java's formatter cannot be reproduced
 * exactly here. Runs inside the sandbox: plain ECMAScript only.
 */
import type { HostBridge } from './host.js'

/** How `util.time` refuses what it does not implement or an argument it cannot convert exactly. */
export type Refuse = (feature: string) => never

// Integral milliseconds within the range a Date can show as ISO 8601 with a four-digit year.
function epochMs(refuse: Refuse, name: string, value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > 253_402_300_799_999
  )
    return refuse(
      `util.time.${name} with ${typeof value === 'number' ? String(value) : typeof value}`,
    )
  return value
}

/** The `util.time` object. */
export function createTimeUtil(host: HostBridge, refuse: Refuse) {
  const refused = (name: string) => () => refuse(`util.time.${name}`)
  return {
    nowISO8601: () => new Date(host.nowMs()).toISOString(),
    nowEpochSeconds: () => Math.floor(host.nowMs() / 1000),
    nowEpochMilliSeconds: () => host.nowMs(),
    epochMilliSecondsToSeconds: (ms: unknown) =>
      Math.floor(epochMs(refuse, 'epochMilliSecondsToSeconds', ms) / 1000),
    epochMilliSecondsToISO8601: (ms: unknown) =>
      new Date(epochMs(refuse, 'epochMilliSecondsToISO8601', ms)).toISOString(),
    nowFormatted: refused('nowFormatted'),
    epochMilliSecondsToFormatted: refused('epochMilliSecondsToFormatted'),
    parseFormattedToEpochMilliSeconds: refused('parseFormattedToEpochMilliSeconds'),
    parseISO8601ToEpochMilliSeconds: refused('parseISO8601ToEpochMilliSeconds'),
  }
}
