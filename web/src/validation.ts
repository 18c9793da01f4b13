/** The longest address the API accepts (RFC 5321 path limit). */
export const maxEmailLength = 254

// AppSync's AWSEmail (RFC 822 dot-atoms, hostname labels) plus a dot in the domain, so that
// an address the API would refuse is caught here with a helpful sentence.
const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const label = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?'
const emailShape = new RegExp(`^${atom}(?:\\.${atom})*@${label}(?:\\.${label})+$`)

/** Why `value` is not a usable address, as a sentence for the form, or `null` when it is fine. */
export function emailProblem(value: string): string | null {
  const address = value.trim()
  if (address === '') return 'Enter your email address.'
  if (address.length > maxEmailLength)
    return `Use an address of at most ${maxEmailLength} characters.`
  if (!emailShape.test(address)) return 'Enter a valid email address, like name@example.com.'
  return null
}

/** The digits of a typed or pasted code: spaces, dashes and anything else are dropped, then cut to `length`. */
export const codeDigits = (value: string, length: number): string =>
  value.replace(/\D/g, '').slice(0, length)
