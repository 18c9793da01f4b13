/**
 * The link of the mail (`functions/send-otp-email/code-link.ts`): the app's address with
 * `#s=<sessionId>&c=<code>`. A fragment never reaches a server; the page removes it from the
 * address bar and the history at once, and verifies nothing until the person clicks Confirm.
 */
export interface CodeLink {
  sessionId: string
  code: string
}

/**
 * Reads the session and the code from the page's fragment, then removes the fragment from the
 * address bar (`history.replaceState`, so that neither a bookmark nor the back button keeps the
 * code). Null when the fragment is not such a link; a malformed one is removed all the same.
 */
export function takeCodeLink(
  location: Pick<Location, 'hash' | 'pathname' | 'search'> = window.location,
  history: Pick<History, 'replaceState' | 'state'> = window.history,
): CodeLink | null {
  const fragment = new URLSearchParams(location.hash.slice(1))
  if (!fragment.has('s') && !fragment.has('c')) return null
  history.replaceState(history.state, '', location.pathname + location.search)
  const sessionId = fragment.get('s') ?? ''
  const code = fragment.get('c') ?? ''
  return /^[0-9a-f]{32}$/.test(sessionId) && /^\d{4,10}$/.test(code) ? { sessionId, code } : null
}
