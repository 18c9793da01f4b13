import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { emailLocales } from '../../functions/send-otp-email/email-messages.js'

// The message files exactly as shipped, read from disk so that a file without a locale entry is seen too.
const dir = new URL('../../functions/send-otp-email/messages/', import.meta.url)
const files = readdirSync(dir).filter((file) => file.endsWith('.json'))
type Messages = Record<string, string | Record<string, string>>
const read = (tag: string): Messages =>
  JSON.parse(readFileSync(new URL(`${tag}.json`, dir), 'utf8')) as Messages

const placeholders = (message: string): string[] =>
  [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort()
/** The placeholders a message may use: a plain message's, or those of any form of a plural one. */
const allowed = (message: string | Record<string, string>): string[] =>
  typeof message === 'string'
    ? placeholders(message)
    : [...new Set(Object.values(message).flatMap(placeholders))].sort()

const english = read('en')
const others = Object.keys(emailLocales).filter((tag) => tag !== 'en')
const cldrOrder = ['zero', 'one', 'two', 'few', 'many', 'other']

describe('Email message files', () => {
  it('ships one message file per language the renderer offers, and no other', () => {
    expect(files.map((file) => file.replace(/\.json$/, '')).sort()).toEqual(
      Object.keys(emailLocales).sort(),
    )
  })

  it.each(others)('gives %s every message English has, and none it lacks', (tag) => {
    expect(Object.keys(read(tag)).sort()).toEqual(Object.keys(english).sort())
  })

  it.each(others)('keeps the {placeholders} of English in %s', (tag) => {
    for (const [key, message] of Object.entries(read(tag))) {
      const reference = english[key] ?? ''
      if (typeof message === 'string') {
        expect(placeholders(message), key).toEqual(placeholders(reference as string))
      } else {
        // A plural form may say the count in words ("one minute"), so it may drop {count}.
        for (const form of Object.values(message))
          expect(allowed(reference), key).toEqual(expect.arrayContaining(placeholders(form)))
      }
    }
  })

  it.each(Object.keys(emailLocales))(
    'gives each plural message in %s exactly the CLDR categories of the language',
    (tag) => {
      const categories = new Intl.PluralRules(tag).resolvedOptions().pluralCategories
      const expected = cldrOrder.filter((category) => categories.includes(category as never))
      for (const [key, message] of Object.entries(read(tag)))
        if (typeof message !== 'string')
          expect(
            cldrOrder.filter((c) => c in message),
            `${tag} ${key}`,
          ).toEqual(expected)
    },
  )
})
