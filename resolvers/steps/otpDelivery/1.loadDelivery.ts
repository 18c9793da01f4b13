import { util, type Context } from '@aws-appsync/utils'
import type { OtpDelivery, QueryOtpDeliveryArgs } from '../../../generated/graphql'
import { KIND_ATTRIBUTE, sessionKey, type SessionItem } from '../../../infra/model'
import { DELIVERY_ATTRIBUTES, deliveryOf, type SessionDeliveryFields } from '../../lib/delivery'
import { unavailable } from '../../lib/errors'

type StoredDelivery = Pick<SessionItem, 'kind' | 'sessionId' | 'createdAt'> & SessionDeliveryFields

/**
 * Strongly consistent, so a subscriber that reads this after subscribing sees every transition
 * published before its subscription began. Projected: the address and the code never leave the table.
 */
export function request(ctx: Context<QueryOtpDeliveryArgs>) {
  const names: Record<string, string> = {}
  const attributes = [KIND_ATTRIBUTE, ...DELIVERY_ATTRIBUTES]
  attributes.forEach((attribute, index) => {
    names[`#a${index}`] = attribute
  })
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: sessionKey(ctx.args.sessionId) }),
    consistentRead: true,
    projection: { expression: Object.keys(names).join(', '), expressionNames: names },
  }
}

/** The delivery state, or null when no session has this id. */
export function response(ctx: Context<QueryOtpDeliveryArgs>): OtpDelivery | null {
  if (ctx.error) unavailable()
  const item = ctx.result as StoredDelivery | null
  if (!item || item.kind !== 'session') return null
  return deliveryOf(item)
}
