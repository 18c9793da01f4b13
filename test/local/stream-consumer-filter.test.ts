import { describe, expect, it } from 'vitest'
import { emailSender } from '../../infra/api.js'
import { matchesFilter, UnsupportedFilterError } from '../../infra/local/event-filter.js'

/** A record as a keys-only stream hands it to Lambda. */
const record = (eventName: string, pk?: unknown) => ({
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: { ...(pk === undefined ? {} : { Keys: { pk } }), StreamViewType: 'KEYS_ONLY' },
})

describe('matchesFilter (Lambda event filtering)', () => {
  const pattern = emailSender.filterPattern

  it('lets the INSERT of a session (a key starting SESSION#) through the email sender filter', () => {
    expect(matchesFilter(pattern, record('INSERT', { S: 'SESSION#0123abcd' }))).toBe(true)
  })

  it('stops a MODIFY or REMOVE of a session', () => {
    expect(matchesFilter(pattern, record('MODIFY', { S: 'SESSION#0123abcd' }))).toBe(false)
    expect(matchesFilter(pattern, record('REMOVE', { S: 'SESSION#0123abcd' }))).toBe(false)
  })

  it('stops the INSERT of any other item: other prefixes, the prefix elsewhere in the key, a key of another type, no key', () => {
    for (const pk of [
      { S: 'ADDRESS#ada@example.com' },
      { S: 'SUPPRESSED#ada@example.com' },
      { S: 'TOKEN#SESSION#1' },
      { S: 'session#1' },
      { B: 'U0VTU0lPTiMx' },
      undefined,
    ])
      expect(matchesFilter(pattern, record('INSERT', pk)), JSON.stringify(pk)).toBe(false)
  })

  it('compares exact values with their type: the string "1" is not the number 1', () => {
    expect(matchesFilter({ n: [1] }, { n: '1' })).toBe(false)
    expect(matchesFilter({ n: [1] }, { n: 1 })).toBe(true)
  })

  it('matches an array value when any element matches', () => {
    expect(matchesFilter({ tags: ['b'] }, { tags: ['a', 'b'] })).toBe(true)
    expect(matchesFilter({ tags: ['c'] }, { tags: ['a', 'b'] })).toBe(false)
  })

  it('supports exists and prefix rules', () => {
    expect(matchesFilter({ a: [{ exists: true }] }, { a: 'x' })).toBe(true)
    expect(matchesFilter({ a: [{ exists: false }] }, {})).toBe(true)
    expect(matchesFilter({ a: [{ exists: false }] }, { a: 'x' })).toBe(false)
    expect(matchesFilter({ pk: [{ prefix: 'SESSION#' }] }, { pk: 'SESSION#1' })).toBe(true)
    expect(matchesFilter({ pk: [{ prefix: 'SESSION#' }] }, { pk: 'TOKEN#1' })).toBe(false)
  })

  it('refuses filter syntax it does not implement instead of guessing', () => {
    const numeric = { n: [{ numeric: ['>', 0] }] } as unknown as Parameters<typeof matchesFilter>[0]
    expect(() => matchesFilter(numeric, { n: 1 })).toThrow(UnsupportedFilterError)
  })
})
