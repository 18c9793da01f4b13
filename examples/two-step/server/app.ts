/**
 * The relying app's server: a password step, then the emailed code, bound to the attempt.
 *
 *   POST /api/password {email, password}  200 {email, nonce} and a new session cookie holding the
 *                                         attempt; 401 WRONG_CREDENTIALS (and no code is sent)
 *   POST /api/verify {token}              200 {email}: the token redeemed with IAM proves this
 *                                         attempt's address and nonce, and the person is signed in
 *                                         under a new cookie; 401 NO_ATTEMPT; 403 with the refusal
 *   GET  /api/me                          200 {email} when signed in, else 401
 *   POST /api/sign-out                    204, the session ended
 *   GET  /config.json                     the OTP API's URL and public API key, for the page
 *   GET  anything else                    the page (examples/two-step/web, built)
 *
 * Every POST must be JSON: a form on another site cannot send that without the browser asking
 * first (CORS), and the SameSite cookie would not go with it anyway.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serveStatic } from '../../../infra/local/appsync/static-files.js'
import type { VerifiedEmail } from '../../redeem-verification.js'
import { BadRequestError, error, readJson, send, securityHeaders, type Reply } from './http.js'
import { passwordMatches } from './passwords.js'
import { clearedSessionCookie, sessionCookie, sessionIdOf } from './session-cookie.js'
import { normaliseEmail, type ExampleStore, type WebSession } from './store.js'
import { verificationRefusal } from './verification-refusal.js'

/** An attempt outlives the code it asks for (10 minutes by default), resends included. */
const ATTEMPT_SECONDS = 15 * 60
const SIGNED_IN_SECONDS = 8 * 60 * 60

export interface TwoStepAppOptions {
  /** 0 picks a free port. */
  port: number
  store: ExampleStore
  /** redeemVerification with the server's IAM credentials (examples/redeem-verification.ts). */
  redeem(token: string): Promise<VerifiedEmail | null>
  /** What the page needs to call requestOtp and verifyOtp: public values only. */
  pageConfig: { apiUrl: string; apiKey: string; appName?: string }
  /** The built page. */
  webDir: string
}

export interface TwoStepApp {
  url: string
  close(): Promise<void>
}

export async function startTwoStepApp(options: TwoStepAppOptions): Promise<TwoStepApp> {
  const { store, redeem, pageConfig, webDir } = options
  const apiOrigin = new URL(pageConfig.apiUrl).origin

  /** Stores `session` under a new random id: the `Set-Cookie` value that hands it out. */
  async function newSession(session: WebSession): Promise<string> {
    const id = await store.createSession(session)
    return sessionCookie(id, Math.round((session.expiresAt - Date.now()) / 1000))
  }

  async function password(request: IncomingMessage): Promise<Reply> {
    const body = await readJson(request)
    const email = typeof body.email === 'string' ? normaliseEmail(body.email) : ''
    const password = typeof body.password === 'string' ? body.password : ''
    if (!email || !password || password.length > 1024)
      return { status: 400, body: error('BAD_REQUEST') }
    const user = await store.findUser(email)
    // The hash is checked first, also for an unknown address: the answer takes as long either way.
    if (!(await passwordMatches(user, password)) || !user) {
      return { status: 401, body: error('WRONG_CREDENTIALS') }
    }
    // A fresh nonce per attempt, kept here; the page passes it to requestOtp.
    const nonce = randomBytes(16).toString('base64url')
    const expiresAt = Date.now() + ATTEMPT_SECONDS * 1000
    // A new attempt starts under a new id; an earlier session of this browser ends.
    const previous = sessionIdOf(request.headers.cookie)
    if (previous) await store.endSession(previous)
    const cookie = await newSession({
      stage: 'awaiting-code',
      email,
      nonce,
      expiresAt,
    })
    return { status: 200, body: { email, nonce }, cookie }
  }

  async function verify(request: IncomingMessage): Promise<Reply> {
    const { token } = await readJson(request)
    if (typeof token !== 'string' || token.length > 256)
      return { status: 400, body: error('BAD_REQUEST') }
    const id = sessionIdOf(request.headers.cookie)
    const attempt = id ? await store.readSession(id) : undefined
    if (!id || attempt?.stage !== 'awaiting-code') return { status: 401, body: error('NO_ATTEMPT') }
    // Redeeming spends the token, whatever the answer: a refused token is gone as well.
    const refusal = verificationRefusal(attempt, await redeem(token))
    if (refusal) return { status: 403, body: error(refusal) }
    // One attempt signs in once, even when two tokens of it arrive together.
    if (!(await store.endSession(id))) return { status: 401, body: error('NO_ATTEMPT') }
    const expiresAt = Date.now() + SIGNED_IN_SECONDS * 1000
    // Signed in under a new id: whoever knew the attempt's cookie holds nothing now.
    const cookie = await newSession({
      stage: 'signed-in',
      email: attempt.email,
      expiresAt,
    })
    return { status: 200, body: { email: attempt.email }, cookie }
  }

  async function me(request: IncomingMessage): Promise<Reply> {
    const id = sessionIdOf(request.headers.cookie)
    const session = id ? await store.readSession(id) : undefined
    if (session?.stage !== 'signed-in') return { status: 401, body: error('SIGNED_OUT') }
    return { status: 200, body: { email: session.email } }
  }

  async function signOut(request: IncomingMessage): Promise<Reply> {
    const id = sessionIdOf(request.headers.cookie)
    if (id) await store.endSession(id)
    return { status: 204, cookie: clearedSessionCookie }
  }

  const routes: Record<string, (request: IncomingMessage) => Promise<Reply>> = {
    'POST /api/password': password,
    'POST /api/verify': verify,
    'POST /api/sign-out': signOut,
    'GET /api/me': me,
    'GET /config.json': async () => ({ status: 200, body: pageConfig }),
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost')
    const route = routes[`${request.method} ${pathname}`]
    if (route) {
      const json = request.headers['content-type']?.split(';')[0]?.trim() === 'application/json'
      if (request.method === 'POST' && !json)
        return send(response, { status: 415, body: error('JSON_REQUIRED') })
      return send(response, await route(request))
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(response, { status: 405 })
    for (const [name, value] of Object.entries(securityHeaders(apiOrigin)))
      response.setHeader(name, value)
    const served = await serveStatic(webDir, pathname, response, request.method === 'HEAD')
    if (!served) send(response, { status: 404 })
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((failure: unknown) => {
      const status = failure instanceof BadRequestError ? 400 : 500
      if (status === 500) console.error(`two-step example: ${String(failure)}`)
      if (!response.headersSent)
        send(response, { status, body: error(status === 400 ? 'BAD_REQUEST' : 'SERVER_ERROR') })
      else response.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, 'localhost', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://localhost:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
