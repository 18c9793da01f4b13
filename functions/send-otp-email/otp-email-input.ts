import type { SessionItem } from '../../infra/model.js'
import { brandingFromSettings } from './branding.js'
import type { EmailSenderConfig } from './config.js'
import { resolveEmailLocale } from './email-messages.js'
import type { OtpEmailInput } from './render-otp-email.js'

/**
 * What the mail for a claimed session says: its code and address, the language requestOtp chose
 * for it (the `defaultLocale` setting for a session without one), the brand and, with `linkBaseUrl`
 * set, the link. `now` (epoch ms) states the expiry in minutes, never more than the setting.
 */
export function otpEmailInputFor(
  session: Pick<SessionItem, 'sessionId' | 'email' | 'code' | 'expiresAt' | 'locale'>,
  config: EmailSenderConfig,
  now: number,
): OtpEmailInput {
  return {
    code: session.code ?? '',
    email: session.email,
    expiresInMinutes: Math.min((session.expiresAt - now) / 60_000, config.codeTtlSeconds / 60),
    codeInSubject: config.codeInSubject,
    locale: resolveEmailLocale(session.locale, resolveEmailLocale(config.defaultLocale)),
    branding: brandingFromSettings(config),
    ...(config.linkBaseUrl
      ? { link: { baseUrl: config.linkBaseUrl, sessionId: session.sessionId } }
      : {}),
  }
}
