import { useI18n } from 'vue-i18n'
import type { Composer } from 'vue-i18n'
import { formatClock, formatNumber, formatTime, formatWait } from './format.js'
import { locales } from './locales.js'
import type { Locale } from './locales.js'
import type { Message, MessageKey } from './schema.js'

/**
 * `message` in the composer's current language. Numbers in its values are formatted for the
 * reader; a plural message picks its form by `count`, which it may show as `{n}`.
 */
export function translate(composer: Pick<Composer, 't' | 'locale'>, message: Message): string {
  const locale = composer.locale.value
  // In a right-to-left sentence an embedded address keeps its own direction (FSI … PDI).
  const isolate = locales[locale as Locale]?.dir === 'rtl'
  const values: Record<string, string> = {}
  for (const [name, value] of Object.entries(message.values ?? {})) {
    if (typeof value === 'number') values[name] = formatNumber(locale, value)
    else values[name] = isolate ? `\u2068${value}\u2069` : value
  }
  if (message.count === undefined) return composer.t(message.key, values)
  values.n ??= formatNumber(locale, message.count)
  return composer.t(message.key, values, message.count)
}

/**
 * The current language's words and formats for a component: `t` for a key, `say` for a
 * {@link Message}, and the number, wait, clock and time formats of that language.
 */
export function useTranslate() {
  const composer = useI18n()
  const locale = composer.locale
  return {
    /** The message at `key` (a typo fails the typecheck), with `values` in place of `{name}`. */
    t: (key: MessageKey, values: Record<string, string> = {}) => composer.t(key, values),
    say: (message: Message) => translate(composer, message),
    locale,
    number: (value: number) => formatNumber(locale.value, value),
    wait: (seconds: number) => formatWait(locale.value, seconds),
    clock: (seconds: number) => formatClock(locale.value, seconds),
    time: (iso: string) => formatTime(locale.value, iso),
  }
}
