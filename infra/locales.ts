/**
 * The languages the product writes its mail in: the one list the resolvers (which choose a
 * session's language), the settings (`defaultLocale`) and the email renderer (one message file per
 * entry) share. Adding a language is one line here, its message file in
 * `functions/send-otp-email/messages/` and, for the web app, its file in `web/src/locales/` (tests
 * fail until all three agree).
 *
 * Resolvers import this module, so it stays within APPSYNC_JS: plain data and functions, no regex.
 */
export const localeDirections = {
  en: 'ltr',
  de: 'ltr',
  ar: 'rtl',
} as const

/** A shipped language, by its BCP 47 primary language subtag. */
export type SupportedLocale = keyof typeof localeDirections

/** Every shipped language, in declaration order. */
export const supportedLocales = Object.keys(localeDirections) as SupportedLocale[]

/**
 * The shipped language for the BCP 47 tag `tag`, compared without regard to case: the tag itself
 * when shipped, else its primary language (`de-AT` → `de`, `ar-EG` → `ar`), else `undefined`.
 * Only a shipped tag comes back, never the input.
 */
export function supportedLocaleOf(tag: string | null | undefined): SupportedLocale | undefined {
  const lower = (tag ?? '').trim().toLowerCase()
  const language = lower.split('-')[0] ?? ''
  return supportedLocales.find((locale) => locale === lower || locale === language)
}
