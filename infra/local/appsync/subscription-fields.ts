/**
 * Which subscription fields each mutation triggers, from AppSync's `@aws_subscribe(mutations: [...])`
 * directive. AppSync rejects a schema whose directive names a mutation that does not exist or that
 * returns another type than the subscription field; so does the local runtime, when it starts.
 */
import { getNamedType, Kind, type GraphQLSchema } from 'graphql'

/** Thrown when `@aws_subscribe` names a mutation AppSync would not accept. */
export class SubscriptionSchemaError extends Error {
  override name = 'SubscriptionSchemaError'
}

/** Subscription field names by the mutation field that triggers them. */
export type TriggeredSubscriptions = ReadonlyMap<string, readonly string[]>

/**
 * Reads every `@aws_subscribe` of the schema's subscription type.
 * @throws SubscriptionSchemaError naming the field and the mutation at fault.
 */
export function readSubscribedMutations(schema: GraphQLSchema): TriggeredSubscriptions {
  const triggered = new Map<string, string[]>()
  const subscriptionType = schema.getSubscriptionType()
  if (!subscriptionType) return triggered
  const mutations = schema.getMutationType()?.getFields() ?? {}
  for (const field of Object.values(subscriptionType.getFields())) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe')
    const list = directive?.arguments?.find((a) => a.name.value === 'mutations')?.value
    const names =
      list?.kind === Kind.LIST
        ? list.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []))
        : []
    for (const name of names) {
      const mutation = mutations[name]
      if (!mutation)
        throw new SubscriptionSchemaError(
          `${subscriptionType.name}.${field.name}: @aws_subscribe names ${name}, which is not a mutation`,
        )
      if (getNamedType(mutation.type) !== getNamedType(field.type))
        throw new SubscriptionSchemaError(
          `${subscriptionType.name}.${field.name} returns ${String(
            field.type,
          )} but ${name} returns ${String(mutation.type)}`,
        )
      triggered.set(name, [...(triggered.get(name) ?? []), field.name])
    }
  }
  return triggered
}
