/** Numbers, waits, countdowns and times in the reader's language, all through `Intl`. */

const unit = (locale: string, value: number, name: 'second' | 'minute'): string =>
  new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value)

/** A plain number in `locale`'s digits ("25", or "٢٥" where the locale writes Arabic digits). */
export const formatNumber = (locale: string, value: number): string =>
  new Intl.NumberFormat(locale).format(value)

/** A wait, for sentences like "Try again in …": "25 sec", "2 min", "2 min, 5 sec" in English. */
export function formatWait(locale: string, seconds: number): string {
  if (seconds < 60) return unit(locale, seconds, 'second')
  const minutes = unit(locale, Math.floor(seconds / 60), 'minute')
  const rest = seconds % 60
  if (rest === 0) return minutes
  return new Intl.ListFormat(locale, { type: 'unit', style: 'short' }).format([
    minutes,
    unit(locale, rest, 'second'),
  ])
}

/** Time left on a running clock, minutes and two-digit seconds: "9:41". */
export function formatClock(locale: string, seconds: number): string {
  const twoDigits = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 })
  return `${formatNumber(locale, Math.floor(seconds / 60))}:${twoDigits.format(seconds % 60)}`
}

/** A time of day on the reader's clock, from an ISO date-time: "12:05 PM", "12:05". */
export const formatTime = (locale: string, iso: string): string =>
  new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(iso))
