import { describe, expect, it } from 'vitest'
import { codeDigits, emailProblem } from '../../web/src/validation.js'
import { inEnglish } from './support.js'

describe('Module: validation', () => {
  it('accepts the addresses AWSEmail accepts, surrounding spaces aside', () => {
    for (const address of [
      'ada@example.com',
      ' a.b+tag@mail.example.co.uk ',
      "o'neil@example.ie",
    ]) {
      expect(emailProblem(address), address).toBeNull()
    }
  })

  it('refuses what AWSEmail would refuse, and an address without a dot in the domain', () => {
    for (const address of [
      'ada',
      'ada@',
      '@example.com',
      'a..b@example.com',
      'ada@-example.com',
      'josé@example.com',
      'ada@localhost',
      'a b@example.com',
    ]) {
      expect(inEnglish(emailProblem(address)), address).toBe(
        'Enter a valid email address, like name@example.com.',
      )
    }
  })

  it('refuses an address longer than 254 characters', () => {
    expect(emailProblem(`${'a'.repeat(242)}@example.com`)).toBeNull()
    expect(inEnglish(emailProblem(`${'a'.repeat(243)}@example.com`))).toBe(
      'Use an address of at most 254 characters.',
    )
  })

  it('keeps only the digits of a code, up to its length', () => {
    expect(codeDigits(' 123-456 ', 6)).toBe('123456')
    expect(codeDigits('12a34', 6)).toBe('1234')
    expect(codeDigits('1234567', 6)).toBe('123456')
  })

  it('reads Arabic-Indic digits, as Arabic and Persian keyboards type them, as their Latin twins', () => {
    expect(codeDigits('٤٨٢ ٩١٣', 6)).toBe('482913')
    expect(codeDigits('۰۱۲۳۴۵۶۷۸۹', 10)).toBe('0123456789')
  })
})
