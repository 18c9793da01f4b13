/**
 * `util.time`: timestamps, ISO 8601 and the common letters of Java's `DateTimeFormatter`
 * (y u M d D H h m s S a E Z X x z V, quoted literals). Zones are UTC, fixed offsets
 * (`+05:30`) or IANA names resolved by the host. Runs inside the sandbox: plain ECMAScript only.
 */
import type { HostBridge } from './host.js'

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

interface Token {
  letter: string
  width: number
  literal?: string
}

/** Splits a pattern into runs of one letter and quoted or other literal text. */
export function tokenize(pattern: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < pattern.length) {
    const ch = pattern.charAt(i)
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1)
      const text = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end)
      tokens.push({ letter: '', width: 0, literal: text === '' ? "'" : text })
      i = end < 0 ? pattern.length : end + 1
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
      let j = i
      while (j < pattern.length && pattern.charAt(j) === ch) j += 1
      tokens.push({ letter: ch, width: j - i })
      i = j
    } else {
      tokens.push({ letter: '', width: 0, literal: ch })
      i += 1
    }
  }
  return tokens
}

function pad(value: number, width: number): string {
  let text = String(Math.abs(value))
  while (text.length < width) text = `0${text}`
  return value < 0 ? `-${text}` : text
}

function offsetText(minutes: number, colon: boolean, zulu: boolean): string {
  if (minutes === 0 && zulu) return 'Z'
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`
}

function field(date: Date, token: Token, offset: number, zone: string): string {
  const w = token.width
  switch (token.letter) {
    case 'y':
    case 'u':
      return w === 2 ? pad(date.getUTCFullYear() % 100, 2) : pad(date.getUTCFullYear(), w)
    case 'M':
      if (w >= 4) return months[date.getUTCMonth()] ?? ''
      if (w === 3) return (months[date.getUTCMonth()] ?? '').slice(0, 3)
      return pad(date.getUTCMonth() + 1, w)
    case 'd':
      return pad(date.getUTCDate(), w)
    case 'D': {
      const start = Date.UTC(date.getUTCFullYear(), 0, 1)
      return pad(Math.floor((date.getTime() - start) / 86_400_000) + 1, w)
    }
    case 'H':
      return pad(date.getUTCHours(), w)
    case 'h':
      return pad(date.getUTCHours() % 12 === 0 ? 12 : date.getUTCHours() % 12, w)
    case 'm':
      return pad(date.getUTCMinutes(), w)
    case 's':
      return pad(date.getUTCSeconds(), w)
    case 'S':
      return pad(date.getUTCMilliseconds(), 3).concat('000000').slice(0, w)
    case 'a':
      return date.getUTCHours() < 12 ? 'AM' : 'PM'
    case 'E':
      return w >= 4 ? days[date.getUTCDay()] ?? '' : (days[date.getUTCDay()] ?? '').slice(0, 3)
    case 'Z':
      return w >= 5 ? offsetText(offset, true, true) : offsetText(offset, false, false)
    case 'X':
      return w === 1 && offset % 60 === 0
        ? offsetText(offset, false, true).slice(0, 3)
        : offsetText(offset, w >= 3, true)
    case 'x':
      return w === 1 && offset % 60 === 0
        ? offsetText(offset, false, false).slice(0, 3)
        : offsetText(offset, w >= 3, false)
    case 'z':
    case 'V':
      return zone
    default:
      throw new Error(`Unsupported date-time pattern letter ${token.letter}`)
  }
}

/** Minutes east of UTC for a zone at an instant; throws for an unknown zone. */
export function zoneOffset(host: HostBridge, zone: string | undefined, epochMs: number): number {
  if (zone === undefined || zone === 'UTC' || zone === 'Z' || zone === 'GMT') return 0
  const fixed = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})?$/.exec(zone)
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? '0'))
  const minutes = host.zoneOffsetMinutes(zone, epochMs)
  if (Number.isNaN(minutes)) throw new Error(`Unknown time zone ${zone}`)
  return minutes
}

/** Formats an instant with a `DateTimeFormatter` pattern in a zone. */
export function formatEpoch(
  host: HostBridge,
  epochMs: number,
  pattern: string,
  zone?: string,
): string {
  const offset = zoneOffset(host, zone, epochMs)
  const shifted = new Date(epochMs + offset * 60_000)
  return tokenize(pattern)
    .map((token) =>
      token.literal !== undefined ? token.literal : field(shifted, token, offset, zone ?? 'UTC'),
    )
    .join('')
}
