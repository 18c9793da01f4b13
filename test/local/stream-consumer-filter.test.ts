import { describe, expect, it } from 'vitest'
import { emailSender } from '../../infra/api.js'
import { matchesFilter, UnsupportedFilterError } from '../../infra/local/event-filter.js'

const record = (eventName: string, newImage?: Record<string, unknown>) => ({
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: 'x' } }, ...(newImage ? { NewImage: newImage } : {}) },
})

describe('matchesFilter (Lambda event filtering)', () => {
  const pattern = emailSender.filterPattern

  it('lets the INSERT of a session through the email sender filter', () => {
    expect(matchesFilter(pattern, record('INSERT', { kind: { S: 'session' } }))).toBe(true)
  })

  it('stops a MODIFY or REMOVE of a session', () => {
    expect(matchesFilter(pattern, record('MODIFY', { kind: { S: 'session' } }))).toBe(false)
    expect(matchesFilter(pattern, record('REMOVE'))).toBe(false)
  })

  it('stops the INSERT of any other kind of item, or of an item without a kind', () => {
    expect(matchesFilter(pattern, record('INSERT', { kind: { S: 'address' } }))).toBe(false)
    expect(matchesFilter(pattern, record('INSERT', {}))).toBe(false)
    expect(matchesFilter(pattern, record('INSERT'))).toBe(false)
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
