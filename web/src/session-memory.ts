import type { RequestOtpMutation } from './graphql/generated.js'

type Challenge = RequestOtpMutation['requestOtp']

const prefix = 'otp-session:'

/** The browser's storage, or null where it is off (private modes, blocked site data). */
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/**
 * Remembers a session this browser started, so that the mail's link, opened in another tab of this
 * browser, may offer to confirm it (see `code-link.ts`). Sessions that have expired are dropped on
 * the way. Without storage nothing is remembered, and the link only shows the code.
 */
export function rememberSession(challenge: Challenge, now: number = Date.now()): void {
  const store = storage()
  if (!store) return
  try {
    for (const key of Object.keys(store))
      if (key.startsWith(prefix) && !recallSession(key.slice(prefix.length), now))
        store.removeItem(key)
    store.setItem(prefix + challenge.sessionId, JSON.stringify(challenge))
  } catch {
    // A full storage forgets; the link then shows the code to type instead.
  }
}

/** The session this browser started under `sessionId`, while it has not expired; else null. */
export function recallSession(sessionId: string, now: number = Date.now()): Challenge | null {
  try {
    const stored = JSON.parse(storage()?.getItem(prefix + sessionId) ?? 'null') as Challenge | null
    return stored?.sessionId === sessionId && Date.parse(stored.expiresAt) > now ? stored : null
  } catch {
    return null
  }
}

/** Forgets a session once it is over (verified, or left for another address). */
export function forgetSession(sessionId: string): void {
  try {
    storage()?.removeItem(prefix + sessionId)
  } catch {
    // As above.
  }
}
