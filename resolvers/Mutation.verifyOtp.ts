import { runtime, util, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs, OtpVerification } from '../generated/graphql'
import { badRequest } from './lib/errors'
import { readPolicy } from './lib/policy'
import type { VerifyStash } from './lib/stash'

/** Longest session id we look up; ours are 32 hex characters. */
const MAX_SESSION_ID_LENGTH = 128

/** Refuses malformed input before any read: an empty or over-long id, a code that cannot match. */
export function request(ctx: Context<MutationVerifyOtpArgs>): Record<string, never> {
  const { sessionId, code } = ctx.args
  const { codeLength } = readPolicy(ctx.env)
  if (sessionId.trim() === '' || sessionId.length > MAX_SESSION_ID_LENGTH) {
    badRequest('The session id is empty or too long.', 'sessionId')
  }
  if (!util.matches(`^[0-9]{${codeLength}}$`, code)) {
    badRequest(`The code must be exactly ${codeLength} digits.`, 'code')
  }
  const stash: VerifyStash = { now: util.time.nowEpochMilliSeconds(), sessionId, code }
  ctx.stash.verify = stash
  if (!util.matches('^[0-9a-f]{32}$', sessionId)) {
    ctx.stash.outcome = { status: 'NOT_FOUND', attemptsRemaining: 0 }
    runtime.earlyReturn(ctx.stash.outcome)
  }
  return {}
}

/** The outcome the last step produced (or the early return). */
export function response(ctx: Context<MutationVerifyOtpArgs>): OtpVerification {
  return ctx.stash.outcome ?? ctx.prev.result
}
