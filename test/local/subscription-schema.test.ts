/**
 * The local runtime reads `@aws_subscribe` as AppSync does and refuses, when it starts, a schema
 * AppSync would refuse: a subscription naming a mutation that does not exist, or one that returns
 * another type than the mutation.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildSchema } from 'graphql'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import {
  readSubscribedMutations,
  SubscriptionSchemaError,
} from '../../infra/local/appsync/subscription-fields.js'

async function schemaOf(sdl: string) {
  const prelude = await readFile(join(repoRoot, 'infra/appsync.graphql'), 'utf8')
  return buildSchema(`${prelude}\n${sdl}`)
}

const base = /* GraphQL */ `
  type Query {
    ping: String
  }
  type Item {
    id: ID!
  }
  type Other {
    id: ID!
  }
  type Mutation {
    putItem(id: ID!): Item
    putOther(id: ID!): Other
  }
`

describe('@aws_subscribe in the local runtime', () => {
  it("maps each mutation to the subscription fields that name it (the project's: publishOtpDelivery → onOtpDelivery)", async () => {
    const schema = await schemaOf(await readFile(join(repoRoot, 'schema.graphql'), 'utf8'))

    expect([...readSubscribedMutations(schema)]).toEqual([
      ['publishOtpDelivery', ['onOtpDelivery']],
    ])
  })

  it('refuses a subscription naming a mutation that does not exist', async () => {
    const schema = await schemaOf(
      `${base} type Subscription { onItem: Item @aws_subscribe(mutations: ["createItem"]) }`,
    )

    expect(() => readSubscribedMutations(schema)).toThrow(SubscriptionSchemaError)
    expect(() => readSubscribedMutations(schema)).toThrow('createItem, which is not a mutation')
  })

  it('refuses a subscription whose type is not the type its mutation returns', async () => {
    const schema = await schemaOf(
      `${base} type Subscription { onItem: Item @aws_subscribe(mutations: ["putItem", "putOther"]) }`,
    )

    expect(() => readSubscribedMutations(schema)).toThrow(
      'Subscription.onItem returns Item but putOther returns Other',
    )
  })
})
