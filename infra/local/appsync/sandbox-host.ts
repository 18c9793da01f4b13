/**
 * The host side of the sandbox boundary: the capabilities resolver code may use through the
 * runtime library (randomness, clock, base64, time zones), taking and returning primitives only.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { HostBridge } from './runtime-lib/host.js'

/** The one bridge every sandbox shares. */
export const hostBridge: HostBridge = {
  randomUuid: () => randomUUID(),
  randomHex: (count) =>
    randomBytes(Math.min(Math.max(0, Math.trunc(Number(count)) || 0), 1024)).toString('hex'),
  nowMs: () => Date.now(),
  base64Encode: (text) => Buffer.from(String(text), 'utf8').toString('base64'),
  base64Decode: (text) => Buffer.from(String(text), 'base64').toString('utf8'),
  zoneOffsetMinutes: (zone, epochMs) => zoneOffsetMinutes(String(zone), Number(epochMs)),
}

function zoneOffsetMinutes(zone: string, epochMs: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(epochMs))
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
    const asUtc = Date.UTC(
      part('year'),
      part('month') - 1,
      part('day'),
      part('hour'),
      part('minute'),
      part('second'),
    )
    return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000)
  } catch {
    return Number.NaN
  }
}
