import { classifySesError, type FailureKind } from './ses-errors.js'

/** In-invocation retry of transient failures: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Calls at most, the first included. */
  maxTries: number
  baseDelayMs: number
  maxDelayMs: number
}

// Bounded by the deadline in practice (about 25 s of an outage ridden out per invocation);
// maxTries only guards against a clock that does not move.
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxTries: 40,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
})

/** Clock, sleep and randomness, replaceable so that tests need not wait. */
export interface RetryEnvironment {
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export type RetryOutcome<T> =
  | { ok: true; value: T; tries: number }
  | { ok: false; error: unknown; kind: FailureKind; tries: number }

/**
 * Calls `operation` until it succeeds, fails permanently, has been tried `maxTries` times, or the
 * next pause would end after `deadline` (epoch ms). Never throws: the last error is returned with
 * its classification, so the caller decides between "release and retry later" and "give up".
 */
export async function retryTransient<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  deadline: number,
  env: RetryEnvironment,
): Promise<RetryOutcome<T>> {
  for (let tries = 1; ; tries += 1) {
    try {
      return { ok: true, value: await operation(), tries }
    } catch (error) {
      const kind = classifySesError(error)
      const delay =
        env.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (tries - 1))
      if (kind === 'permanent' || tries >= policy.maxTries || env.now() + delay >= deadline) {
        return { ok: false, error, kind, tries }
      }
      await env.sleep(delay)
    }
  }
}
