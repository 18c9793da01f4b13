/** The expression sections of AppSync request objects, merged into the SDK's attribute maps. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { MalformedRequestError, toAttributeMap } from './dynamodb-json.js'

/** `{ expression, expressionNames, expressionValues }` as request objects carry it. */
export interface RequestExpression {
  expression: string
  expressionNames?: Record<string, string>
  expressionValues?: Record<string, unknown>
  // Condition-only fields.
  equalsIgnore?: string[]
  consistentRead?: boolean
  returnValuesOnConditionCheckFailure?: boolean
  conditionalCheckFailedHandler?: { strategy: string; lambdaArn?: string }
}

/**
 * `ExpressionAttributeNames`/`ExpressionAttributeValues` for several expressions of one request,
 * left out when empty (DynamoDB refuses an empty map).
 */
export function expressionAttributes(...expressions: (RequestExpression | undefined | null)[]): {
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: Record<string, AttributeValue>
} {
  const names: Record<string, string> = {}
  const values: Record<string, AttributeValue> = {}
  for (const expression of expressions) {
    if (!expression) continue
    for (const [placeholder, name] of Object.entries(expression.expressionNames ?? {})) {
      if (typeof name !== 'string')
        throw new MalformedRequestError(`expressionNames.${placeholder} must be a string`)
      names[placeholder] = name
    }
    Object.assign(values, toAttributeMap(expression.expressionValues ?? {}, 'expressionValues'))
  }
  return {
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  }
}
