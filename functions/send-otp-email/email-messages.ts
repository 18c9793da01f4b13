/**
 * The mail's wording, one message file per language in `messages/`. Adding a language takes its
 * line in `infra/locales.ts` (the list the resolvers choose from), its file here (every key of
 * `en.json`, the same `{placeholders}`; a test fails otherwise) and one line in
 * {@link emailLocales} (the typecheck fails without it).
 */
import { localeDirections, supportedLocaleOf, type SupportedLocale } from '../../infra/locales.js'
import ar from './messages/ar.json'
import de from './messages/de.json'
import en from './messages/en.json'

/** A message that depends on a count: one form per CLDR plural category the language uses. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }

export interface EmailMessages {
  subject: string
  subjectWithCode: string
  /** The preview line inboxes show next to the subject. Never the code. */
  preheader: string
  heading: string
  intro: string
  requestedFor: string
  minutes: PluralMessage
  ignore: string
  support: string
  /** The sentence before the link (with `linkBaseUrl` set): where to open it and that a click confirms. */
  linkIntro: string
  /** The link's own words in the HTML part. */
  linkText: string
}

export const emailLocales = {
  en: { dir: localeDirections.en, messages: en },
  de: { dir: localeDirections.de, messages: de },
  ar: { dir: localeDirections.ar, messages: ar },
} as const satisfies Record<SupportedLocale, { dir: 'ltr' | 'rtl'; messages: EmailMessages }>

export type EmailLocale = SupportedLocale

/**
 * The language to write a mail in for the BCP 47 tag `tag`: the same language if it is shipped
 * (`de-AT` → `de`, `de_AT` too), else `fallback`. Only shipped tags come back, so a tag is never
 * echoed.
 */
export function resolveEmailLocale(
  tag: string | undefined,
  fallback: EmailLocale = 'en',
): EmailLocale {
  return supportedLocaleOf(tag?.replace(/_/g, '-')) ?? fallback
}

/** The form of `message` for `count` in `locale`. */
export function pluralForm(message: PluralMessage, locale: string, count: number): string {
  return message[new Intl.PluralRules(locale).select(count)] ?? message.other
}
