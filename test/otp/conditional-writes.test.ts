import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LoadedBundle } from '../../infra/local/appsync/sandbox.js'
import { sessionKey, tokenKey, type SessionItem } from '../../infra/model.js'
import { useDynamoDbTable } from '../fixtures/dynamodb.js'
import { itemsWithPrefix, uniqueEmail } from './operations.js'
import { loadStep, putItem, readItem, runStep, sessionItem, withUuidSource } from './steps.js'

/**
 * The conditions of each write, one step at a time against DynamoDB Local: the states a
 * concurrent request leaves between two steps are written into the table and the stash here,
 * so each race is replayed deterministically, and a condition that went missing shows even
 * where an earlier step's check would hide it in the whole pipeline.
 */
const table = useDynamoDbTable()

const newId = () => randomUUID().split('-').join('')

/** The stash after loadSession and reserveAttempt for a check of `code` on `session`. */
function checkedStash(session: SessionItem, code: string, verdict: string) {
  return {
    check: { now: Date.now(), sessionId: session.sessionId, code },
    session: { ...session, attempts: session.attempts + 1 },
    budgetReserved: true,
    verdict,
  }
}

describe('Step: reserveAttempt', () => {
  let step: LoadedBundle
  beforeAll(async () => {
    step = await loadStep('reserveAttempt')
  })

  it('reserves an attempt on a live session and compares the code (the control for the next test)', async () => {
    const session = sessionItem({ sessionId: newId() })
    await putItem(table(), session)

    const run = await runStep(step, table(), {
      check: { now: Date.now(), sessionId: session.sessionId, code: '123456' },
      session,
    })

    expect(run.stash).toMatchObject({ verdict: 'right' })
    expect(await readItem(table(), session.pk)).toMatchObject({ attempts: 1 })
  })

  it('reserves no attempt on an expired session, even one still PENDING with attempts left (S5)', async () => {
    const now = Date.now()
    const session = sessionItem({ sessionId: newId(), expiresAt: now - 1 })
    await putItem(table(), session)

    const run = await runStep(step, table(), {
      check: { now, sessionId: session.sessionId, code: '123456' },
      session,
    })

    expect(run.stash).toMatchObject({ verdict: 'lost' })
    expect(await readItem(table(), session.pk)).toMatchObject({ attempts: 0, code: '123456' })
  })
})

describe('Step: verifySession', () => {
  let step: LoadedBundle
  beforeAll(async () => {
    step = await loadStep('verifySession')
  })

  it('answers LOCKED when a concurrent wrong code locked the session after this right code reserved its attempt', async () => {
    const reserved = sessionItem({ sessionId: newId(), attempts: 3 })
    await putItem(table(), { ...reserved, status: 'LOCKED', attempts: 5, code: undefined })

    const run = await runStep(step, table(), checkedStash(reserved, '123456', 'right'))

    expect(run.error).toBeUndefined()
    expect(run.stash?.outcome).toEqual({ status: 'LOCKED', attemptsRemaining: 0 })
    expect(await readItem(table(), reserved.pk)).toMatchObject({ status: 'LOCKED' })
    const { client, tableName } = table()
    const tokens = await itemsWithPrefix({ dynamodb: client, tableName }, 'TOKEN#')
    expect(tokens.filter((token) => token.sessionId === reserved.sessionId)).toEqual([])
  })

  it('answers ALREADY_USED when a concurrent right code verified the session first', async () => {
    const reserved = sessionItem({ sessionId: newId(), attempts: 1 })
    await putItem(table(), { ...reserved, status: 'VERIFIED', attempts: 2, code: undefined })

    const run = await runStep(step, table(), checkedStash(reserved, '123456', 'right'))

    expect(run.stash?.outcome).toEqual({ status: 'ALREADY_USED', attemptsRemaining: 0 })
  })

  describe('with a token id that is already taken', () => {
    // A UUID source stuck on one value: every token this bundle draws is the same. The bundle
    // keeps the source it was loaded with; bundles loaded afterwards get the real one again.
    let stuck: LoadedBundle
    beforeAll(async () => {
      stuck = await withUuidSource(
        () => uuid,
        () => loadStep('verifySession'),
      )
    })
    const uuid = randomUUID()

    it('never overwrites the token: the second verification fails and leaves its session PENDING with its code', async () => {
      const first = sessionItem({ sessionId: newId() })
      const second = sessionItem({ sessionId: newId(), code: '654321' })
      await putItem(table(), first)
      await putItem(table(), second)
      const verified = await runStep(stuck, table(), checkedStash(first, '123456', 'right'))
      const token = (verified.stash?.outcome as { verificationToken: string }).verificationToken

      const run = await runStep(stuck, table(), checkedStash(second, '654321', 'right'))

      expect(run.error).toMatchObject({ errorType: 'ServiceUnavailable' })
      expect(await readItem(table(), tokenKey(token))).toMatchObject({
        sessionId: first.sessionId,
      })
      expect(await readItem(table(), second.pk)).toMatchObject({
        status: 'PENDING',
        code: '654321',
      })
    })
  })
})

describe('Step: createSession', () => {
  let step: LoadedBundle
  beforeAll(async () => {
    step = await loadStep('createSession')
  })

  const newSession = (sessionId: string, email: string, code: string) => ({
    newSession: {
      now: Date.now(),
      sessionId,
      email,
      mailbox: email,
      requester: '192.0.2.1',
      code,
      locale: 'en',
    },
  })

  it('creates a session that did not exist (the control for the next test)', async () => {
    const sessionId = newId()
    const email = uniqueEmail()

    const run = await runStep(step, table(), newSession(sessionId, email, '111111'))

    expect(run.error).toBeUndefined()
    expect(run.stash?.refusal).toBeUndefined()
    expect(await readItem(table(), sessionKey(sessionId))).toMatchObject({ email, code: '111111' })
  })

  it('never overwrites an existing session: a colliding session id is refused as ServiceUnavailable', async () => {
    const sessionId = newId()
    const [first, second] = [uniqueEmail('first'), uniqueEmail('second')]
    expect(
      (await runStep(step, table(), newSession(sessionId, first, '111111'))).error,
    ).toBeUndefined()

    const run = await runStep(step, table(), newSession(sessionId, second, '222222'))

    expect(run.stash?.refusal).toMatchObject({ errorType: 'ServiceUnavailable' })
    expect(await readItem(table(), sessionKey(sessionId))).toMatchObject({
      email: first,
      code: '111111',
    })
  })
})
