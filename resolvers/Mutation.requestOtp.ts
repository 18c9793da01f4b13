import { util, type Context } from '@aws-appsync/utils'
import type { MutationRequestOtpArgs, OtpChallenge } from '../generated/graphql'
import { normaliseEmail } from './lib/email'
import { readNonce } from './lib/nonce'
import { readPolicy } from './lib/policy'
import { randomDigits, randomId128 } from './lib/random'
import type { RequestOtpStash } from './lib/stash'

type RequestOtpContext = Context<MutationRequestOtpArgs, RequestOtpStash>

/** Validates and normalises the address, draws the session id and the code (S1, S7). */
export function request(ctx: RequestOtpContext): Record<string, never> {
  const email = normaliseEmail(ctx.args.email)
  ctx.stash.newSession = {
    now: util.time.nowEpochMilliSeconds(),
    sessionId: randomId128(),
    email,
    code: randomDigits(readPolicy(ctx.env).codeLength),
    nonce: readNonce(ctx.args.nonce),
  }
  return {}
}

/** Returns the challenge built by the createSession step: never the code. */
export function response(ctx: RequestOtpContext): OtpChallenge {
  return ctx.prev.result
}
