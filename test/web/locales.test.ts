import { afterEach, describe, expect, it } from 'vitest'
import { pickLocale, storedLocale, storeLocale } from '../../web/src/i18n/locales.js'
import { pluralRule } from '../../web/src/i18n/plural.js'

afterEach(() => localStorage.clear())

describe('Module: i18n/locales', () => {
  it('picks the first browser language the app ships, by region or by language alone', () => {
    expect(pickLocale(['de-AT', 'en'])).toBe('de')
    expect(pickLocale(['fr-FR', 'ar-EG', 'de'])).toBe('ar')
    expect(pickLocale(['EN_us'])).toBe('en')
  })

  it('falls back to English for languages it does not ship and for garbage', () => {
    expect(pickLocale(['fr', 'ja'])).toBe('en')
    expect(pickLocale([])).toBe('en')
    expect(pickLocale([null, '', '"><script>', '__proto__', 'constructor'])).toBe('en')
  })

  it('remembers the language chosen in the switcher', () => {
    expect(storedLocale()).toBeNull()
    storeLocale('ar')
    expect(pickLocale([storedLocale(), 'de'])).toBe('ar')
  })
})

describe('Module: i18n/plural', () => {
  it('picks the form by CLDR category in English and in Arabic', () => {
    const english = pluralRule('en')
    expect([english(1, 2), english(0, 2), english(5, 2)]).toEqual([0, 1, 1])
    const arabic = pluralRule('ar')
    expect([0, 1, 2, 3, 11, 100].map((n) => arabic(n, 6))).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('falls back to the last form when a message has fewer forms than the language', () => {
    expect(pluralRule('ar')(11, 2)).toBe(1)
  })
})
