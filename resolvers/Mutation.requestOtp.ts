import { util, type Context } from '@aws-appsync/utils'
import type { MutationRequestOtpArgs, OtpChallenge } from '../generated/graphql'
import { canonicalMailbox } from '../infra/mailbox'
import { requesterOf } from './lib/client'
import { normaliseEmail } from './lib/email'
import { raise, unavailable } from './lib/errors'
import { chooseLocale } from './lib/locale'
import { readNonce } from './lib/nonce'
import { readPolicy } from './lib/policy'
import { randomDigits, randomId128 } from './lib/random'
import type { RequestOtpStash } from './lib/stash'

type RequestOtpContext = Context<MutationRequestOtpArgs, RequestOtpStash>

/**
 * requestOtp's steps run in the order of their file names in resolvers/steps/requestOtp/.
 *
 * Validates and normalises the address, names the requester and the canonical mailbox the
 * limits count on (S11, S12), chooses the mail's language (the `locale` argument, else
 * `Accept-Language`, else the default), and draws the session id and the code (S1, S7).
 */
export function request(ctx: RequestOtpContext): Record<string, never> {
  const email = normaliseEmail(ctx.args.email)
  ctx.stash.newSession = {
    now: util.time.nowEpochMilliSeconds(),
    sessionId: randomId128(),
    email,
    mailbox: canonicalMailbox(email),
    requester: requesterOf(ctx.request.headers),
    code: randomDigits(readPolicy(ctx.env).codeLength),
    locale: chooseLocale(
      ctx.args.locale,
      ctx.request?.headers?.['accept-language'],
      readPolicy(ctx.env).defaultLocale,
    ),
    nonce: readNonce(ctx.args.nonce),
  }
  return {}
}

/** The challenge createSession built (never the code), or the refusal it recorded. */
export function response(ctx: RequestOtpContext): OtpChallenge {
  const { refusal, challenge } = ctx.stash
  if (refusal) raise(refusal)
  return challenge ?? unavailable()
}
