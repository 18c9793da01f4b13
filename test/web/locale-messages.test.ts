import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { baseCompile } from '@intlify/message-compiler'
import { describe, expect, it } from 'vitest'
import { localeDirections, supportedLocales } from '../../infra/locales.js'
import { locales } from '../../web/src/i18n/locales.js'
import { pluralForms } from '../../web/src/i18n/plural.js'

// The message files exactly as shipped, read from disk so that a file without a locale entry is seen too.
// (happy-dom gives import.meta.url an http: scheme; vitest runs from the repository root)
const dir = join(process.cwd(), 'web/src/locales')
const files = readdirSync(dir).filter((file) => file.endsWith('.json'))
const read = (tag: string): unknown => JSON.parse(readFileSync(join(dir, `${tag}.json`), 'utf8'))

/** Every message of a file by its dotted key. */
function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    if (typeof value === 'string') out.set(prefix + key, value)
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v)
  }
  return out
}

const forms = (message: string): string[] => message.split('|').map((form) => form.trim())
const placeholders = (message: string): string[] =>
  [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort()

const english = flatten(read('en'))
const others = Object.keys(locales).filter((tag) => tag !== 'en')

describe('Web app message files', () => {
  it('ships one message file per locale the switcher offers, and no other', () => {
    expect(files.map((file) => file.replace(/\.json$/, '')).sort()).toEqual(
      Object.keys(locales).sort(),
    )
  })

  it.each(others)('gives %s every key English has, and none it lacks', (tag) => {
    expect([...flatten(read(tag)).keys()].sort()).toEqual([...english.keys()].sort())
  })

  it.each(others)('keeps the {placeholders} of English in %s', (tag) => {
    for (const [key, message] of flatten(read(tag))) {
      const reference = english.get(key) ?? ''
      if (forms(reference).length === 1) {
        expect(placeholders(message), key).toEqual(placeholders(reference))
      } else {
        // A plural form may say the count in words ("one attempt"), so it may drop {n}.
        for (const form of forms(message))
          expect(placeholders(reference), key).toEqual(expect.arrayContaining(placeholders(form)))
      }
    }
  })

  it.each(Object.keys(locales))(
    'gives each plural message in %s one form per CLDR category',
    (tag) => {
      const expected = pluralForms(tag).length
      for (const [key, message] of flatten(read(tag)))
        if (forms(english.get(key) ?? '').length > 1)
          expect(forms(message).length, `${tag} ${key}`).toBe(expected)
    },
  )

  it.each(Object.keys(locales))('writes every message in %s in valid vue-i18n syntax', (tag) => {
    for (const [key, message] of flatten(read(tag))) {
      const errors: string[] = []
      baseCompile(message, { onError: (error) => errors.push(error.message) })
      expect(errors, `${tag} ${key}: ${message}`).toEqual([])
    }
  })
})

// The link step's and the delivery state's words ship with them (web/src/locales/link/,
// web/src/locales/delivery/), not in each first visit.
describe.each(['link', 'delivery'])('Web app %s message files', (folder) => {
  const folderDir = join(dir, folder)
  const readFolder = (tag: string): unknown =>
    JSON.parse(readFileSync(join(folderDir, `${tag}.json`), 'utf8'))
  const englishFolder = flatten(readFolder('en'))

  it('ships one per locale the switcher offers, and no other', () => {
    const files = readdirSync(folderDir).filter((file) => file.endsWith('.json'))
    expect(files.map((file) => file.replace(/\.json$/, '')).sort()).toEqual(
      Object.keys(locales).sort(),
    )
  })

  it.each(others)(
    'gives %s every key English has, with its placeholders, and none it lacks',
    (tag) => {
      const messages = flatten(readFolder(tag))
      expect([...messages.keys()].sort()).toEqual([...englishFolder.keys()].sort())
      for (const [key, message] of messages)
        expect(placeholders(message), key).toEqual(placeholders(englishFolder.get(key) ?? ''))
    },
  )

  it.each(Object.keys(locales))('writes every message in %s in valid vue-i18n syntax', (tag) => {
    for (const [key, message] of flatten(readFolder(tag))) {
      const errors: string[] = []
      baseCompile(message, { onError: (error) => errors.push(error.message) })
      expect(errors, `${tag} ${key}: ${message}`).toEqual([])
    }
  })

  it('uses no key of the app’s own messages, which would be shadowed', () => {
    for (const key of englishFolder.keys()) expect(english.has(key), key).toBe(false)
  })
})

describe('Languages of the page and of the mail', () => {
  it('are the same: every language the page offers, the mail is written in, and no other', () => {
    expect(Object.keys(locales).sort()).toEqual([...supportedLocales].sort())
  })

  it('write each language in the same direction', () => {
    for (const tag of supportedLocales) expect(locales[tag].dir, tag).toBe(localeDirections[tag])
  })
})
