/**
 * The mail's wording, one message file per language in `messages/`. Adding a language takes its
 * file (every key of `en.json`, the same `{placeholders}`; a test fails otherwise) and one line
 * in {@link emailLocales}.
 */
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
}

export const emailLocales = {
  en: { dir: 'ltr', messages: en },
  de: { dir: 'ltr', messages: de },
  ar: { dir: 'rtl', messages: ar },
} as const satisfies Record<string, { dir: 'ltr' | 'rtl'; messages: EmailMessages }>

export type EmailLocale = keyof typeof emailLocales

const isEmailLocale = (tag: string): tag is EmailLocale => Object.hasOwn(emailLocales, tag)

/**
 * The language to write a mail in for the BCP 47 tag `tag`: the same language if it is shipped
 * (`de-AT` → `de`), else `fallback`. Only shipped tags come back, so a tag is never echoed.
 */
export function resolveEmailLocale(
  tag: string | undefined,
  fallback: EmailLocale = 'en',
): EmailLocale {
  const lower = tag?.trim().toLowerCase() ?? ''
  const language = lower.split(/[-_]/)[0] ?? ''
  if (isEmailLocale(lower)) return lower
  return isEmailLocale(language) ? language : fallback
}

/** The form of `message` for `count` in `locale`. */
export function pluralForm(message: PluralMessage, locale: string, count: number): string {
  return message[new Intl.PluralRules(locale).select(count)] ?? message.other
}
