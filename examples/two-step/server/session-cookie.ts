/**
 * The session cookie. `HttpOnly`: no script reads it. `SameSite=Lax`: no request another site
 * makes with POST carries it. `Secure` and the `__Host-` prefix: sent over HTTPS only, to this
 * host only, for every path (browsers count http://localhost as secure, so this works locally).
 * It holds a random id; everything else stays on the server.
 */
export const SESSION_COOKIE = '__Host-session'

/** The `Set-Cookie` value that stores session `id` for `maxAgeSeconds`. */
export function sessionCookie(id: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`
}

/** The `Set-Cookie` value that makes the browser forget the session. */
export const clearedSessionCookie = sessionCookie('', 0)

/** The session id in a `Cookie` request header, if any. */
export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const [name, value] = pair.trim().split('=')
    if (name === SESSION_COOKIE && value) return value
  }
  return undefined
}
