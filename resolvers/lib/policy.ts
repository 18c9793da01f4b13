/** The settings the resolvers read from `ctx.env` (strings, validated at deploy time by infra/settings.ts). */
export interface Policy {
  tableName: string
  codeLength: number
  codeTtlMs: number
  maxAttempts: number
  cooldownMs: number
  sendWindowMs: number
  maxSends: number
  failureWindowMs: number
  maxFailures: number
  tokenTtlMs: number
}

/** Reads the policy from AppSync environment variables (see `toResolverEnv`). */
export function readPolicy(env: Record<string, string>): Policy {
  return {
    tableName: env.TABLE_NAME ?? '',
    codeLength: Number(env.CODE_LENGTH),
    codeTtlMs: Number(env.CODE_TTL_SECONDS) * 1000,
    maxAttempts: Number(env.MAX_ATTEMPTS),
    cooldownMs: Number(env.RESEND_COOLDOWN_SECONDS) * 1000,
    sendWindowMs: Number(env.SEND_WINDOW_SECONDS) * 1000,
    maxSends: Number(env.MAX_SENDS_PER_WINDOW),
    failureWindowMs: Number(env.FAILURE_WINDOW_SECONDS) * 1000,
    maxFailures: Number(env.MAX_FAILURES_PER_WINDOW),
    tokenTtlMs: Number(env.TOKEN_TTL_SECONDS) * 1000,
  }
}

/** Index of the fixed window `now` falls in, and the epoch milliseconds when it ends. */
export function fixedWindow(now: number, windowMs: number): { index: number; endsAt: number } {
  const index = Math.floor(now / windowMs)
  return { index, endsAt: (index + 1) * windowMs }
}

/** Epoch seconds for DynamoDB TTL: a margin after `at` so late reads still see the item. */
export function ttlAfter(at: number): number {
  return Math.floor(at / 1000) + 3600
}

/** Whole seconds from `now` until `at`, at least 1. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000))
}
