/**
 * AppSync's argument filtering, on the local runtime's subscription hub alone: a publication reaches
 * a subscription when every argument it gave equals the published field of that name; an argument
 * given as null matches a null (or unselected) field; an omitted argument matches anything.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildSchema, getOperationAST, parse } from 'graphql'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import { createDocumentCache } from '../../infra/local/appsync/document-cache.js'
import type { GraphqlResponseBody } from '../../infra/local/appsync/graphql-types.js'
import { installAppSyncScalars } from '../../infra/local/appsync/scalars.js'
import { createSubscriptionHub } from '../../infra/local/appsync/subscription-hub.js'

const sdl = /* GraphQL */ `
  type Query {
    ping: String
  }
  type Note {
    id: ID!
    owner: String
    topic: String
  }
  type Mutation {
    putNote(id: ID!, owner: String, topic: String): Note
  }
  type Subscription {
    onNote(owner: String, topic: String): Note @aws_subscribe(mutations: ["putNote"])
  }
`

async function hub() {
  const prelude = await readFile(join(repoRoot, 'infra/appsync.graphql'), 'utf8')
  const schema = buildSchema(`${prelude}\n${sdl}`)
  installAppSyncScalars(schema)
  return createSubscriptionHub({
    schema,
    prepare: createDocumentCache(schema),
    log: () => undefined,
    defaultAuthMode: 'API_KEY',
  })
}

/** Subscribes with `args` (GraphQL argument text) and collects the ids it receives. */
function subscribe(h: Awaited<ReturnType<typeof hub>>, args: string): string[] {
  return subscription(h, args).received
}

function subscription(h: Awaited<ReturnType<typeof hub>>, args: string) {
  const received: string[] = []
  const started = h.start(
    { query: `subscription { onNote${args} { id } }` },
    { mode: 'API_KEY', identity: null },
    {},
    (body) => received.push((body.data?.onNote as { id: string }).id),
  )
  if ('errors' in started) throw new Error(JSON.stringify(started.errors))
  return { received, stop: started.stop }
}

/** Publishes as a putNote mutation selecting `selection` that returned `note`. */
function publish(
  h: Awaited<ReturnType<typeof hub>>,
  selection: string,
  note: Record<string, unknown>,
) {
  const document = parse(`mutation { putNote(id: "x") { ${selection} } }`)
  const operation = getOperationAST(document)
  if (!operation) throw new Error('no operation')
  const body: GraphqlResponseBody = { data: { putNote: note } }
  h.publish(document, operation, body)
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('Subscription argument filtering (the local hub)', () => {
  it('delivers to a subscription whose arguments all equal the published fields, and to one without arguments', async () => {
    const h = await hub()
    const ada = subscribe(h, '(owner: "ada")')
    const adaMath = subscribe(h, '(owner: "ada", topic: "math")')
    const everyone = subscribe(h, '')

    publish(h, 'id owner topic', { id: '1', owner: 'ada', topic: 'art' })
    publish(h, 'id owner topic', { id: '2', owner: 'bob', topic: 'math' })
    publish(h, 'id owner topic', { id: '3', owner: 'ada', topic: 'math' })
    await settled()

    expect(ada).toEqual(['1', '3'])
    expect(adaMath).toEqual(['3'])
    expect(everyone).toEqual(['1', '2', '3'])
  })

  it('matches an argument given as null only with a null or unselected field', async () => {
    const h = await hub()
    const ownerless = subscribe(h, '(owner: null)')

    publish(h, 'id owner', { id: '1', owner: 'ada' })
    publish(h, 'id owner', { id: '2', owner: null })
    publish(h, 'id', { id: '3' })
    await settled()

    expect(ownerless).toEqual(['2', '3'])
  })

  it('delivers nothing once stopped, not even a publication made just before the stop', async () => {
    const h = await hub()
    const stopped = subscription(h, '')

    publish(h, 'id', { id: '1' })
    stopped.stop()
    await settled()

    expect(stopped.received).toEqual([])
    expect(h.activeCount()).toBe(0)
  })

  it('matches on the field of the mutation result, whatever alias the mutation gave it', async () => {
    const h = await hub()
    const ada = subscribe(h, '(owner: "ada")')

    publish(h, 'id who: owner', { id: '1', who: 'ada' })
    await settled()

    expect(ada).toEqual(['1'])
  })
})
