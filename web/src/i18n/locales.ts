/**
 * The languages the app ships. Adding one takes its message file in `../locales/` (every key of
 * `en.json`; a test fails otherwise) and one line here.
 */
export const locales = {
  en: { name: 'English', dir: 'ltr' },
  de: { name: 'Deutsch', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
} as const

export type Locale = keyof typeof locales

export const defaultLocale: Locale = 'en'

const isLocale = (tag: string): tag is Locale => Object.hasOwn(locales, tag)

/**
 * The first supported language among `preferences` (BCP 47 tags, most preferred first, as in
 * `navigator.languages`): an exact match, else the same language in another region
 * (`de-AT` → `de`). Undefined when none is supported.
 */
export function matchLocale(
  preferences: readonly (string | null | undefined)[],
): Locale | undefined {
  for (const tag of preferences) {
    const lower = tag?.trim().toLowerCase() ?? ''
    const language = lower.split(/[-_]/)[0] ?? ''
    if (isLocale(lower)) return lower
    if (isLocale(language)) return language
  }
  return undefined
}

/** {@link matchLocale}, else {@link defaultLocale}. */
export const pickLocale = (preferences: readonly (string | null | undefined)[]): Locale =>
  matchLocale(preferences) ?? defaultLocale

const storageKey = 'locale'

/** The language the person picked in the switcher on an earlier visit, if any. */
export function storedLocale(): string | null {
  try {
    return globalThis.localStorage?.getItem(storageKey) ?? null
  } catch {
    // Storage can be off (private modes, blocked site data): then nothing is remembered.
    return null
  }
}

/** Remembers the person's choice for the next visit; without storage it lasts for this visit. */
export function storeLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(storageKey, locale)
  } catch {
    // As above.
  }
}
