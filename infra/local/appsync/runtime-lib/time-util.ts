/**
 * The `util.time` object, and parsing of text written with a `DateTimeFormatter` pattern.
 * Runs inside the sandbox: plain ECMAScript only.
 */
import type { HostBridge } from './host.js'
import { formatEpoch, tokenize, zoneOffset } from './time.js'

const monthNames = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
]

interface Fields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millis: number
  pm: boolean | undefined
  offset: number | undefined
}

function takeDigits(text: string, at: number, min: number, max: number): [number, number] {
  let end = at
  while (end < text.length && end - at < max && text.charAt(end) >= '0' && text.charAt(end) <= '9')
    end += 1
  if (end - at < min) throw new Error(`Unparseable date-time "${text}" at ${at}`)
  return [Number(text.slice(at, end)), end]
}

function takeOffset(text: string, at: number): [number, number] {
  if (text.charAt(at) === 'Z') return [0, at + 1]
  const match = /^([+-])(\d{2}):?(\d{2})?/.exec(text.slice(at))
  if (!match) throw new Error(`Unparseable offset in "${text}" at ${at}`)
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? '0')
  return [match[1] === '-' ? -minutes : minutes, at + match[0].length]
}

/** Parses `text` written with `pattern`; the zone applies when the text carries no offset. */
export function parseFormatted(
  host: HostBridge,
  text: string,
  pattern: string,
  zone?: string,
): number {
  const f: Fields = {
    year: 1970,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millis: 0,
    pm: undefined,
    offset: undefined,
  }
  let at = 0
  for (const token of tokenize(pattern)) {
    if (token.literal !== undefined) {
      if (text.slice(at, at + token.literal.length) !== token.literal)
        throw new Error(`Unparseable date-time "${text}" at ${at}`)
      at += token.literal.length
      continue
    }
    const fixed = token.width > 1 ? token.width : 1
    const letter = token.letter
    if (letter === 'M' && token.width >= 3) {
      const index = monthNames.indexOf(text.slice(at, at + 3).toLowerCase())
      if (index < 0) throw new Error(`Unparseable month in "${text}" at ${at}`)
      f.month = index + 1
      at += token.width === 3 ? 3 : /^[A-Za-z]+/.exec(text.slice(at))?.[0].length ?? 3
    } else if (letter === 'a') {
      f.pm = text.slice(at, at + 2).toUpperCase() === 'PM'
      at += 2
    } else if (letter === 'Z' || letter === 'X' || letter === 'x') {
      ;[f.offset, at] = takeOffset(text, at)
    } else if (letter === 'S') {
      const end = takeDigits(text, at, token.width, token.width)[1]
      f.millis = Number(text.slice(at, end).concat('000').slice(0, 3))
      at = end
    } else {
      const max = letter === 'y' || letter === 'u' ? (token.width === 2 ? 2 : 9) : 2
      const [value, end] = takeDigits(
        text,
        at,
        fixed === 2 || fixed === 4 ? fixed : 1,
        Math.max(max, fixed),
      )
      at = end
      if (letter === 'y' || letter === 'u') f.year = token.width === 2 ? 2000 + value : value
      else if (letter === 'M') f.month = value
      else if (letter === 'd') f.day = value
      else if (letter === 'H') f.hour = value
      else if (letter === 'h') f.hour = value % 12
      else if (letter === 'm') f.minute = value
      else if (letter === 's') f.second = value
      else throw new Error(`Unsupported date-time pattern letter ${letter} for parsing`)
    }
  }
  if (at !== text.length) throw new Error(`Unparseable date-time "${text}": trailing text`)
  if (f.pm === true) f.hour += 12
  const local = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millis)
  if (f.offset !== undefined) return local - f.offset * 60_000
  // A zone's offset depends on the instant: take it at the local time, then once more at the result.
  const guess = local - zoneOffset(host, zone, local) * 60_000
  return local - zoneOffset(host, zone, guess) * 60_000
}

function parseIso(text: string): number {
  const value = Date.parse(text)
  if (Number.isNaN(value)) throw new Error(`Text '${text}' could not be parsed as ISO 8601`)
  return value
}

/** The `util.time` object. */
export function createTimeUtil(host: HostBridge) {
  return {
    nowISO8601: () => new Date(host.nowMs()).toISOString(),
    nowEpochSeconds: () => Math.floor(host.nowMs() / 1000),
    nowEpochMilliSeconds: () => host.nowMs(),
    nowFormatted: (pattern: string, zone?: string) =>
      formatEpoch(host, host.nowMs(), pattern, zone),
    parseFormattedToEpochMilliSeconds: (text: string, pattern: string, zone?: string) =>
      parseFormatted(host, text, pattern, zone),
    parseISO8601ToEpochMilliSeconds: parseIso,
    epochMilliSecondsToSeconds: (ms: number) => Math.floor(ms / 1000),
    epochMilliSecondsToISO8601: (ms: number) => new Date(ms).toISOString(),
    epochMilliSecondsToFormatted: (ms: number, pattern: string, zone?: string) =>
      formatEpoch(host, ms, pattern, zone),
  }
}
