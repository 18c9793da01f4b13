import type { Context } from '@aws-appsync/utils'
import type { OtpPolicy } from '../../../generated/graphql'
import { readPolicy } from '../../lib/policy'

/** NONE data source: the public part of the policy, from the same environment the mutations read. */
export function request(ctx: Context) {
  const policy = readPolicy(ctx.env)
  const payload: OtpPolicy = {
    codeLength: policy.codeLength,
    codeTtlSeconds: policy.codeTtlMs / 1000,
    maxAttempts: policy.maxAttempts,
    resendCooldownSeconds: policy.cooldownMs / 1000,
  }
  return { payload }
}

export function response(ctx: Context): OtpPolicy {
  return ctx.result
}
