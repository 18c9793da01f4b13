import type { Context } from '@aws-appsync/utils'
import type { OtpPolicy } from '../generated/graphql'

export function request(_ctx: Context): Record<string, never> {
  return {}
}

export function response(ctx: Context): OtpPolicy {
  return ctx.prev.result
}
