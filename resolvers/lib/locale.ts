import { util } from '@aws-appsync/utils'
import { supportedLocaleOf, type SupportedLocale } from '../../infra/locales'
import { badRequest } from './errors'

/** Longest language tag accepted; RFC 5646 tags in use are far shorter (`zh-Hant-TW` is 10). */
export const MAX_LOCALE_LENGTH = 64

/** Accept-Language entries read at most; the rest of a longer header is ignored. */
const MAX_ACCEPT_LANGUAGE_ENTRIES = 20

/**
 * A well-formed BCP 47 language tag (RFC 5646 `langtag`, without extended language subtags,
 * grandfathered and private-use-only tags): language, script, region, variants, extensions, private
 * use, separated by hyphens. The lookahead refuses any other character anywhere, line terminators
 * included: should AppSync search the value rather than match it whole (AWS does not say), Java's
 * `$` would let one final line terminator through.
 */
const LANGUAGE_TAG =
  '^(?!.*[^A-Za-z0-9-])[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?' +
  '(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*' +
  '(-[0-9A-WY-Za-wy-z](-[A-Za-z0-9]{2,8})+)*(-[Xx](-[A-Za-z0-9]{1,8})+)?$'

/** An Accept-Language weight (RFC 9110 `qvalue`): 0 to 1 with at most three decimals. */
const QUALITY = '^(0(\\.[0-9]{0,3})?|1(\\.0{0,3})?)$'

/** Whether `tag` is a well-formed language tag of at most {@link MAX_LOCALE_LENGTH} characters. */
export function isLanguageTag(tag: string): boolean {
  return tag.length <= MAX_LOCALE_LENGTH && util.matches(LANGUAGE_TAG, tag)
}

/**
 * The shipped language the `Accept-Language` header `header` prefers: the supported entry of the
 * highest weight, the earlier one on a tie. Entries that are malformed, `*`, of weight 0 or not
 * shipped are skipped (a browser's header is never a reason to refuse a request); `undefined`
 * when none is left.
 */
export function preferredLocale(header: string | undefined): SupportedLocale | undefined {
  const entries = (header ?? '').split(',').slice(0, MAX_ACCEPT_LANGUAGE_ENTRIES)
  const best = entries.reduce(
    (chosen: { locale?: SupportedLocale; weight: number }, entry) => {
      const [range = '', ...parameters] = entry.split(';').map((part) => part.trim())
      const qualities = parameters.filter((p) => p.toLowerCase().indexOf('q=') === 0)
      const quality = qualities.length > 0 ? (qualities[0] ?? '').slice(2) : '1'
      if (qualities.length > 1 || !util.matches(QUALITY, quality) || !isLanguageTag(range))
        return chosen
      const locale = supportedLocaleOf(range)
      const weight = Number(quality)
      return locale && weight > chosen.weight ? { locale, weight } : chosen
    },
    { weight: 0 },
  )
  return best.locale
}

/**
 * The language of a new session's mail: the `locale` argument if given (refused with `BadRequest`
 * when it is not a well-formed language tag), else the request's `Accept-Language`, else
 * `fallback` (the `defaultLocale` setting); a tag no shipped language matches also gives
 * `fallback`. Only a shipped tag comes back: what the caller sent is never stored or echoed.
 */
export function chooseLocale(
  argument: string | null | undefined,
  acceptLanguage: string | undefined,
  fallback: string,
): string {
  if (argument === null || argument === undefined) {
    return preferredLocale(acceptLanguage) ?? fallback
  }
  if (!isLanguageTag(argument)) {
    badRequest(
      'The locale is not a well-formed BCP 47 language tag, such as de or pt-BR.',
      'locale',
    )
  }
  return supportedLocaleOf(argument) ?? fallback
}
