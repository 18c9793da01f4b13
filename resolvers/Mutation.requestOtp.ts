import { util, type Context } from '@aws-appsync/utils'
import type { MutationRequestOtpArgs, OtpChallenge } from '../generated/graphql'
import { normaliseEmail } from './lib/email'
import { readPolicy } from './lib/policy'
import { randomDigits, randomId128 } from './lib/random'
import type { NewSessionStash } from './lib/stash'

/** Validates and normalises the address, draws the session id and the code (S1, S7). */
export function request(ctx: Context<MutationRequestOtpArgs>): Record<string, never> {
  const email = normaliseEmail(ctx.args.email)
  const code = randomDigits(readPolicy(ctx.env).codeLength)
  if (code === null) util.error('Could not draw a code; try again.', 'ServiceUnavailable')
  const stash: NewSessionStash = {
    now: util.time.nowEpochMilliSeconds(),
    sessionId: randomId128(),
    email,
    code,
  }
  ctx.stash.newSession = stash
  return {}
}

/** Returns the challenge built by the createSession step: never the code. */
export function response(ctx: Context<MutationRequestOtpArgs>): OtpChallenge {
  return ctx.prev.result
}
