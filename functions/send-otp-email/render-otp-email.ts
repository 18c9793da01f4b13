/** What the email says: everything it embeds is data, never markup or a header. */
export interface OtpEmailInput {
  code: string
  /** Product name from the settings. */
  appName: string
  /** The address the code was requested for, shown so a reader can tell whom it was meant for. */
  email: string
  /** Whole minutes until the code expires (at least 1). */
  expiresInMinutes: number
  /** Put the code in the subject (visible on lock screens and in notification previews). */
  codeInSubject: boolean
}

export interface OtpEmail {
  /** One line: no CR, LF or other control characters. */
  subject: string
  text: string
  html: string
}

const IGNORE_NOTE =
  "If you didn't request this, you can ignore this email; someone may have typed your address by mistake."

const htmlEntities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => htmlEntities[ch] ?? ch)
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

function minutes(count: number): string {
  return count === 1 ? '1 minute' : `${count} minutes`
}

/**
 * Renders the one-time-code email: a subject, a plain-text part and an HTML part.
 *
 * The code is prominent and easy to copy (large monospace, letter-spaced, selected whole with one
 * click), the expiry is stated in minutes, and a note tells people who did not ask for it to ignore
 * it. There is deliberately no link: a link carrying the code could be prefetched, logged or phished.
 * Every embedded value is HTML-escaped in the HTML part; the subject is a single line without
 * control characters, and carries the code only when `codeInSubject` is set.
 */
export function renderOtpEmail(input: OtpEmailInput): OtpEmail {
  const appName = toSingleLine(input.appName)
  const email = toSingleLine(input.email)
  const code = toSingleLine(input.code)
  const expiry = minutes(Math.max(1, Math.ceil(input.expiresInMinutes)))
  const subject = input.codeInSubject
    ? `${code} is your ${appName} verification code`
    : `Your ${appName} verification code`

  const text = [
    `Your ${appName} verification code is:`,
    '',
    `    ${code}`,
    '',
    `It was requested for ${email} and expires in ${expiry}.`,
    '',
    IGNORE_NOTE,
    '',
  ].join('\n')

  const codeStyle = [
    'font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace',
    'font-size:32px',
    'font-weight:700',
    'letter-spacing:0.3em',
    'padding:12px 16px',
    'background:#f3f4f6',
    'border-radius:8px',
    'display:inline-block',
    'user-select:all',
    '-webkit-user-select:all',
  ].join(';')

  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(
    subject,
  )}</title></head>
<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111827;background:#ffffff">
<p style="font-size:16px">Your ${escapeHtml(appName)} verification code is:</p>
<p><span style="${codeStyle}">${escapeHtml(code)}</span></p>
<p style="font-size:16px">It was requested for <strong>${escapeHtml(
    email,
  )}</strong> and expires in ${escapeHtml(expiry)}.</p>
<p style="font-size:14px;color:#4b5563">${escapeHtml(IGNORE_NOTE)}</p>
</body>
</html>
`
  return { subject, text, html }
}
