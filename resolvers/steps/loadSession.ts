import { util, type Context } from '@aws-appsync/utils'
import { sessionKey, type SessionItem } from '../../infra/model'
import { unavailable } from '../lib/errors'
import type { VerifyStash } from '../lib/stash'
import { settledOutcome } from '../lib/verify-state'

/** Strongly consistent read of the session: a stale read could miss a lock or a verification. */
export function request(ctx: Context) {
  const { sessionId } = ctx.stash.verify as VerifyStash
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: sessionKey(sessionId) }),
    consistentRead: true,
  }
}

/** Settles the outcome when the session cannot evaluate a code; otherwise keeps it for the next steps. */
export function response(ctx: Context) {
  if (ctx.error) unavailable()
  const verify = ctx.stash.verify as VerifyStash
  const session = ctx.result as SessionItem | null
  const outcome = settledOutcome(session, verify.now)
  if (outcome) ctx.stash.outcome = outcome
  else verify.session = session ?? undefined
  return outcome
}
