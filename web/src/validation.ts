import type { Message } from './i18n/schema.js'

/** The longest address the API accepts (RFC 5321 path limit). */
export const maxEmailLength = 254

// AppSync's AWSEmail (RFC 822 dot-atoms, hostname labels) plus a dot in the domain, so that
// an address the API would refuse is caught here with a helpful sentence.
const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const label = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?'
const emailShape = new RegExp(`^${atom}(?:\\.${atom})*@${label}(?:\\.${label})+$`)

/** Why `value` is not a usable address, as a message for the form, or `null` when it is fine. */
export function emailProblem(value: string): Message | null {
  const address = value.trim()
  if (address === '') return { key: 'emailStep.empty' }
  if (address.length > maxEmailLength)
    return { key: 'emailStep.tooLong', values: { max: maxEmailLength } }
  if (!emailShape.test(address)) return { key: 'emailStep.invalid' }
  return null
}

// Arabic-Indic (U+0660..) and Extended Arabic-Indic (U+06F0..) digits, as Arabic and Persian keyboards type them.
const nonLatinDigit = /[\u0660-\u0669\u06f0-\u06f9]/g

/**
 * The digits of a typed or pasted code as the API expects them (0-9): Arabic-Indic digits become
 * their Latin twins; spaces, dashes and anything else are dropped; then cut to `length`.
 */
export const codeDigits = (value: string, length: number): string =>
  value
    .replace(nonLatinDigit, (digit) => String((digit.codePointAt(0) ?? 0) & 0xf))
    .replace(/\D/g, '')
    .slice(0, length)
