/**
 * The link the mail carries when the `linkBaseUrl` setting is set: the web app's address with the
 * session id and the code in the fragment (`#s=<sessionId>&c=<code>`, read by
 * `web/src/code-link.ts`). A fragment never reaches a server, so neither the web server's log nor
 * a proxy sees the code; and opening the link verifies nothing by itself: the page asks for a click,
 * and only in the browser that requested the code (see docs/email.md).
 */

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Whether `value` may be the base of the link: an absolute https URL (http only on the local
 * machine, for `npm start`) without user name, password or fragment, and without whitespace or
 * control characters.
 */
export function isLinkBaseUrl(value: string): boolean {
  if (/[\s\p{Cc}]/u.test(value) || value.includes('#')) return false
  try {
    const url = new URL(value)
    const local = url.protocol === 'http:' && localHosts.has(url.hostname)
    return (url.protocol === 'https:' || local) && url.username === '' && url.password === ''
  } catch {
    return false
  }
}

/**
 * The link for one session: `base` and the fragment. The id is hex and the code digits, so neither
 * needs encoding. `undefined` (no link in the mail) when `base` fails {@link isLinkBaseUrl} or the
 * id or the code is not of the shape requestOtp gives it.
 */
export function codeLinkFor(base: string, sessionId: string, code: string): string | undefined {
  if (!isLinkBaseUrl(base) || !/^[0-9a-f]{32}$/.test(sessionId) || !/^\d{4,10}$/.test(code))
    return undefined
  return `${base}#s=${sessionId}&c=${code}`
}
