/**
 * The canonical mailbox of an address: the key every per-mailbox limit and the suppression list
 * count on (S12), so `ada+1@example.com`, `Ada@Example.com` and, at Gmail, `a.da@gmail.com` are one
 * mailbox. The mail itself still goes to the address as typed.
 *
 * Shared by the resolvers (bundled into APPSYNC_JS: plain functions, no regex, no classes), the SES
 * event handler (which suppresses a bounced mailbox) and the tests.
 */

/** Domains whose provider ignores dots in the local part, and the domain they are one with. */
const DOTS_IGNORED: Readonly<Record<string, string>> = {
  'gmail.com': 'gmail.com',
  'googlemail.com': 'gmail.com',
}

/**
 * Lower-cases the address, removes a plus tag (`ada+news` is `ada`; a local part that starts with
 * `+` keeps it, since nothing would remain), and at providers that ignore dots removes them and
 * folds the domain's aliases (`googlemail.com` is `gmail.com`). Expects an address that passed
 * `normaliseEmail`; returns its input lower-cased when it has no `@`.
 */
export function canonicalMailbox(email: string): string {
  const address = email.toLowerCase()
  const at = address.lastIndexOf('@')
  if (at < 0) return address
  const tagged = address.slice(0, at)
  const domain = address.slice(at + 1)
  const plus = tagged.indexOf('+')
  const untagged = plus > 0 ? tagged.slice(0, plus) : tagged
  const folded = DOTS_IGNORED[domain]
  if (folded === undefined) return `${untagged}@${domain}`
  return `${untagged.split('.').join('')}@${folded}`
}
