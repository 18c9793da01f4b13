/**
 * What each kind of setting accepts, in code and in words. Node only: the formats use regular
 * expressions, which APPSYNC_JS lacks, so no resolver imports this module. The brand's and the
 * link's formats are the email renderer's own checks, so a value the settings accept is one the
 * mail embeds.
 */
import {
  accentColorProblem,
  isHttpsUrl,
  isSupportAddress,
} from '../../functions/send-otp-email/branding.js'
import { isLinkBaseUrl } from '../../functions/send-otp-email/code-link.js'
import { supportedLocales } from '../locales.js'
import {
  settingDeclarations,
  type OtpSettings,
  type SettingDeclaration,
  type SettingKey,
} from './declaration.js'

// Deliberately strict: one @, no spaces, no CR/LF, a dot in the domain. The sender goes into a header.
const emailAddressPattern = /^[^\s@<>"(),;:\\]+@[^\s@<>"(),;:\\]+\.[^\s@<>"(),;:\\]+$/

/** The string formats a declaration may name: what they accept, in code and in words. */
const stringFormats: Record<
  Extract<SettingDeclaration, { type: 'string' }>['format'],
  /** `exact`: the words say everything, a length would add nothing. */
  { accepts(value: string): boolean; words: string; exact?: boolean }
> = {
  line: { accepts: (value) => value.trim() !== '' && !/[\r\n]/.test(value), words: 'one line' },
  emailAddress: {
    accepts: (value) => emailAddressPattern.test(value),
    words: 'a plain email address',
  },
  locale: {
    accepts: (value) => (supportedLocales as string[]).includes(value),
    words: `one of ${supportedLocales.join(', ')}`,
    exact: true,
  },
  hexColor: {
    accepts: (value) => accentColorProblem(value) === null,
    words: 'a hex colour (#rgb or #rrggbb)',
    exact: true,
  },
  httpsUrl: { accepts: isHttpsUrl, words: 'an https URL' },
  supportContact: {
    accepts: (value) => isHttpsUrl(value) || isSupportAddress(value),
    words: 'an https URL or a plain email address',
  },
  linkBaseUrl: {
    accepts: isLinkBaseUrl,
    words: 'an https URL without a fragment (http only on localhost)',
  },
}

/** What a setting accepts, in words (error messages and the docs table). */
export function describeAccepted(declared: SettingDeclaration): string {
  switch (declared.type) {
    case 'integer': {
      const floor = declared.atLeast
        ? `, not below ${settingDeclarations[declared.atLeast as SettingKey].variable}`
        : ''
      return `an integer from ${declared.min} to ${declared.max}${floor}`
    }
    case 'boolean':
      return 'true or false'
    case 'string': {
      const format = stringFormats[declared.format]
      const words = format.exact
        ? format.words
        : `${format.words} of 1 to ${declared.maxLength} characters`
      return declared.optional ? `${words}, or empty (none)` : words
    }
  }
}

/**
 * Whether `value` is one the declaration accepts; `settings` holds the others, for `atLeast`
 * (skipped when the other setting is not among them).
 */
export function accepts(
  declared: SettingDeclaration,
  value: unknown,
  settings: Partial<OtpSettings>,
): boolean {
  switch (declared.type) {
    case 'integer': {
      const floor = declared.atLeast ? settings[declared.atLeast as SettingKey] : undefined
      return (
        Number.isInteger(value) &&
        (value as number) >= declared.min &&
        (value as number) <= declared.max &&
        (typeof floor !== 'number' || (value as number) >= floor)
      )
    }
    case 'boolean':
      return typeof value === 'boolean'
    case 'string':
      return (
        typeof value === 'string' &&
        value.length <= declared.maxLength &&
        ((declared.optional === true && value === '') ||
          stringFormats[declared.format].accepts(value))
      )
  }
}

/** Whether `raw` is text of the declared type at all (`2.5`, `0x8` and `yes` are not). */
export function wellFormed(declared: SettingDeclaration, raw: string): boolean {
  if (declared.type === 'integer') return /^\s*-?\d+\s*$/.test(raw)
  if (declared.type === 'boolean') return raw === 'true' || raw === 'false'
  return true
}
