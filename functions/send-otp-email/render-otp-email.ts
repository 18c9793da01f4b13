import {
  accentColorProblem,
  contrastRatio,
  defaultAccentColor,
  isHttpsUrl,
  isSupportAddress,
} from './branding.js'
import type { Branding } from './branding.js'
import { codeLinkFor } from './code-link.js'
import { emailLayout } from './email-layout.js'
import { emailLocales, pluralForm, resolveEmailLocale } from './email-messages.js'
import { fillHtml, fillText, html } from './html.js'
import type { Html } from './html.js'

export { escapeHtml } from './html.js'
export type { Branding } from './branding.js'

interface OtpEmailCommon {
  code: string
  /** The address the code was requested for, shown so a reader can tell whom it was meant for. */
  email: string
  /** Whole minutes until the code expires (at least 1). */
  expiresInMinutes: number
  /** Put the code in the subject (visible on lock screens and in notification previews). */
  codeInSubject: boolean
  /** BCP 47 tag of the reader's language; an unsupported or missing one writes English. */
  locale?: string
  /**
   * With the `linkBaseUrl` setting: the mail also links to the web app with the session and the
   * code in the fragment (see `code-link.ts`). Left out when the base fails its check.
   */
  link?: { baseUrl: string; sessionId: string }
}

/** What the email says: everything it embeds is data, never markup or a header. */
export type OtpEmailInput = OtpEmailCommon &
  (
    | { branding: Branding }
    /** Before branding: only the product name, from the settings. */
    | { appName: string }
  )

export interface OtpEmail {
  /** One line: no CR, LF or other control characters. */
  subject: string
  text: string
  html: string
  /** The language it is written in (a shipped one) and its direction. */
  locale: string
  dir: 'ltr' | 'rtl'
}

/**
 * Removes what could end a header line or fake a new one: CR, LF, every other control character,
 * and the Unicode line and paragraph separators; runs of whitespace collapse to one space.
 */
export function toSingleLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

const text = '#111827'

/** The brand with every value checked: what fails a check is left out, never embedded. */
function checkedBranding(input: OtpEmailInput) {
  const branding: Branding = 'branding' in input ? input.branding : { productName: input.appName }
  const accentColor =
    branding.accentColor && !accentColorProblem(branding.accentColor)
      ? branding.accentColor
      : defaultAccentColor
  const supportUrl =
    branding.supportUrl && isHttpsUrl(branding.supportUrl) ? branding.supportUrl : undefined
  const supportEmail =
    branding.supportEmail && isSupportAddress(branding.supportEmail)
      ? branding.supportEmail
      : undefined
  return {
    productName: toSingleLine(branding.productName),
    logoUrl: branding.logoUrl && isHttpsUrl(branding.logoUrl) ? branding.logoUrl : undefined,
    accentColor,
    // Links in the accent only where it reads on white (WCAG AA for text).
    linkColor: contrastRatio(accentColor, '#ffffff') >= 4.5 ? accentColor : text,
    support: supportUrl ?? supportEmail,
    supportHref: supportUrl ?? (supportEmail ? `mailto:${supportEmail}` : undefined),
    footer: branding.footer ? toSingleLine(branding.footer) : undefined,
  }
}

/**
 * Renders the one-time-code email in the reader's language and the operator's brand: a subject,
 * a plain-text part and an HTML part with `lang` and `dir`.
 *
 * The code is prominent and easy to copy (large monospace, letter-spaced, selected whole with one
 * click), the expiry is stated in minutes, and a note tells people who did not ask for it to ignore
 * it. The code travels in a URL only with `link`, and then only in the fragment, which no server
 * sees. Every embedded value is HTML-escaped in the HTML part;
 * branding values that fail their check (colour, https URLs, address) are left out. The subject is
 * a single line without control characters, and carries the code only when `codeInSubject` is set.
 */
export function renderOtpEmail(input: OtpEmailInput): OtpEmail {
  const locale = resolveEmailLocale(input.locale)
  const { dir, messages } = emailLocales[locale]
  const brand = checkedBranding(input)
  const email = toSingleLine(input.email)
  const code = toSingleLine(input.code)
  const minutes = Math.max(1, Math.ceil(input.expiresInMinutes))
  const expiry = fillText(pluralForm(messages.minutes, locale, minutes), {
    count: new Intl.NumberFormat(locale).format(minutes),
  })
  const product = brand.productName
  // In a right-to-left sentence, a name or an address keeps its own direction (FSI … PDI).
  const isolate = (value: string) => (dir === 'rtl' ? `\u2068${value}\u2069` : value)
  const link = input.link && codeLinkFor(input.link.baseUrl, input.link.sessionId, code)

  const subject = toSingleLine(
    fillText(input.codeInSubject ? messages.subjectWithCode : messages.subject, {
      code,
      product: isolate(product),
    }),
  )
  const support: Html | undefined = brand.support
    ? fillHtml(messages.support, {
        support: html`<a href="${brand.supportHref}" dir="ltr" style="color:${brand.linkColor}"
          >${brand.support}</a
        >`,
      })
    : undefined

  const textPart = [
    fillText(messages.intro, { product: isolate(product) }),
    '',
    `    ${code}`,
    '',
    fillText(messages.requestedFor, { email: isolate(email), expiry }),
    '',
    ...(link ? [messages.linkIntro, link, ''] : []),
    messages.ignore,
    ...(brand.support || brand.footer ? ['', '--'] : []),
    ...(brand.support ? [fillText(messages.support, { support: brand.support })] : []),
    ...(brand.footer ? [brand.footer] : []),
    '',
  ].join('\n')

  const htmlPart = emailLayout({
    lang: locale,
    dir,
    title: subject,
    preheader: fillText(messages.preheader, { expiry }),
    accentColor: brand.accentColor,
    productName: product,
    logoUrl: brand.logoUrl,
    heading: messages.heading,
    intro: fillHtml(messages.intro, { product: html`<bdi>${product}</bdi>` }),
    code,
    details: fillHtml(messages.requestedFor, {
      email: html`<strong dir="ltr">${email}</strong>`,
      expiry,
    }),
    action: link
      ? html`<p style="margin:0 0 8px">${messages.linkIntro}</p>
          <p style="margin:0 0 16px">
            <a
              href="${link}"
              style="display:inline-block;padding:10px 18px;border-radius:8px;background:${brand.linkColor};color:#ffffff;font-weight:600;text-decoration:none"
              >${messages.linkText}</a
            >
          </p>`
      : undefined,
    ignoreNote: messages.ignore,
    support,
    footer: brand.footer,
  })
  return { subject, text: textPart, html: htmlPart.markup, locale, dir }
}
