import type { SettingsFor } from '../../infra/settings/declaration'
import { decodeSettings } from '../../infra/settings/decode'

/** The settings the resolvers receive, by their declared keys (see infra/settings/declaration.ts). */
export type ResolverSettings = SettingsFor<'resolvers'>

/**
 * What the resolvers read from `ctx.env`: every resolver setting under its declared key, the
 * table, and the durations in milliseconds that the steps compute with. Values were validated at
 * deploy time (`loadSettings`), so nothing is checked here.
 */
export type Policy = ResolverSettings & {
  tableName: string
  codeTtlMs: number
  cooldownMs: number
  sendWindowMs: number
  failureWindowMs: number
  tokenTtlMs: number
}

/** Reads the policy from AppSync environment variables (see `toResolverEnv`). */
export function readPolicy(env: Record<string, string>): Policy {
  const settings = decodeSettings(env, 'resolvers')
  return {
    ...settings,
    tableName: env.TABLE_NAME ?? '',
    codeTtlMs: settings.codeTtlSeconds * 1000,
    cooldownMs: settings.resendCooldownSeconds * 1000,
    sendWindowMs: settings.sendWindowSeconds * 1000,
    failureWindowMs: settings.failureWindowSeconds * 1000,
    tokenTtlMs: settings.tokenTtlSeconds * 1000,
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
