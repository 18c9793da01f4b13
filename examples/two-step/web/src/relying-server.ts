/**
 * The page's calls to its own server (examples/two-step/server/app.ts). The session cookie goes
 * along by itself and no script can read it. Every answer is a result, never a thrown error.
 */
export type Result<T> = ({ ok: true } & T) | { ok: false; error: string }

async function call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<Result<T>> {
  try {
    const response = await fetch(path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    })
    const answer = response.status === 204 ? {} : await response.json()
    return response.ok
      ? { ok: true, ...answer }
      : { ok: false, error: answer.error ?? 'SERVER_ERROR' }
  } catch {
    return { ok: false, error: 'NETWORK' }
  }
}

/** The password step: on success, the address to send the code to and this attempt's nonce. */
export const checkPassword = (email: string, password: string) =>
  call<{ email: string; nonce: string }>('POST', '/api/password', { email, password })

/** The code step's token, for the server to redeem and match against this attempt. */
export const submitToken = (token: string) =>
  call<{ email: string }>('POST', '/api/verify', { token })

export const currentUser = () => call<{ email: string }>('GET', '/api/me')

export const signOut = () => call<object>('POST', '/api/sign-out', {})
