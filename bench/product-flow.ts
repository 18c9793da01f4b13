/**
 * The product: requestOtp, then the code lookup a user's inbox stands in for, then verifyOtp,
 * through the GraphQL endpoint with the API key. Records each mutation's latency.
 */
import { callGraphql, REQUEST_OTP, VERIFY_OTP, type ApiTarget } from './graphql-client.js'

export interface ProductLatencies {
  requestOtp: number[]
  verifyOtp: number[]
}

export interface ProductFlow {
  /** One flow; resolves with the verification token, throws unless the code verifies. */
  run(email: string): Promise<string>
  /** Latencies (ms) recorded since creation or the last `reset`. */
  latencies(): ProductLatencies
  reset(): void
}

/** `lookupCode` must be the same lookup the raw flow uses (see raw-flow.ts). */
export function createProductFlow(
  target: ApiTarget,
  lookupCode: (sessionId: string) => Promise<string>,
): ProductFlow {
  let recorded: ProductLatencies = { requestOtp: [], verifyOtp: [] }
  const timed = async <T>(into: number[], call: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    const result = await call()
    into.push(performance.now() - started)
    return result
  }
  return {
    async run(email) {
      const challenge = await timed(recorded.requestOtp, () =>
        callGraphql<{ sessionId: string }>(target, 'requestOtp', REQUEST_OTP, { email }),
      )
      const code = await lookupCode(challenge.sessionId)
      const outcome = await timed(recorded.verifyOtp, () =>
        callGraphql<{ status: string; verificationToken: string | null }>(
          target,
          'verifyOtp',
          VERIFY_OTP,
          {
            sessionId: challenge.sessionId,
            code,
          },
        ),
      )
      if (outcome.status !== 'VERIFIED' || !outcome.verificationToken)
        throw new Error(`verifyOtp answered ${outcome.status}`)
      return outcome.verificationToken
    },
    latencies: () => recorded,
    reset: () => {
      recorded = { requestOtp: [], verifyOtp: [] }
    },
  }
}
