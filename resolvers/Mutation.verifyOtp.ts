import { runtime, util, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs, OtpVerification } from '../generated/graphql'
import { MAX_CODE_LENGTH, MIN_CODE_LENGTH } from './lib/code'
import { requesterOf } from './lib/client'
import { badRequest, unavailable } from './lib/errors'
import type { VerifyOtpStash } from './lib/stash'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/** Longest session id we look up; ours are 32 hex characters. */
const MAX_SESSION_ID_LENGTH = 128

/**
 * verifyOtp's steps run in the order of their file names in resolvers/steps/verifyOtp/.
 *
 * Refuses malformed input before any read: an empty or over-long id, a code that is not 4 to 10
 * digits. The session's own code length is checked once it is loaded (loadSession): a deploy
 * may change the setting while sessions drawn under the old one are still open.
 */
export function request(ctx: VerifyOtpContext): Record<string, never> {
  const { sessionId, code } = ctx.args
  if (sessionId.trim() === '' || sessionId.length > MAX_SESSION_ID_LENGTH) {
    badRequest('The session id is empty or too long.', 'sessionId')
  }
  if (!util.matches(`^[0-9]{${MIN_CODE_LENGTH},${MAX_CODE_LENGTH}}$`, code)) {
    badRequest(`The code must be ${MIN_CODE_LENGTH} to ${MAX_CODE_LENGTH} digits.`, 'code')
  }
  ctx.stash.check = {
    now: util.time.nowEpochMilliSeconds(),
    sessionId,
    code,
    requester: requesterOf(ctx.request.headers),
  }
  if (!util.matches('^[0-9a-f]{32}$', sessionId)) {
    ctx.stash.outcome = { status: 'NOT_FOUND', attemptsRemaining: 0 }
    runtime.earlyReturn(ctx.stash.outcome)
  }
  return {}
}

/** The outcome the steps settled on (or the early return's). */
export function response(ctx: VerifyOtpContext): OtpVerification {
  return ctx.stash.outcome ?? unavailable()
}
