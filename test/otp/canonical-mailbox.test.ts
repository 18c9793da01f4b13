import { describe, expect, it } from 'vitest'
import { canonicalMailbox } from '../../infra/mailbox.js'

describe('canonicalMailbox (S12)', () => {
  it('lower-cases the whole address', () => {
    expect(canonicalMailbox('Ada.Lovelace@Example.COM')).toBe('ada.lovelace@example.com')
  })

  it('removes a plus tag at any provider', () => {
    expect(canonicalMailbox('ada+1@example.com')).toBe('ada@example.com')
    expect(canonicalMailbox('ada+news+2@example.com')).toBe('ada@example.com')
  })

  it('keeps a local part that starts with a plus, since nothing would remain', () => {
    expect(canonicalMailbox('+ada@example.com')).toBe('+ada@example.com')
  })

  it('removes dots only where the provider ignores them', () => {
    expect(canonicalMailbox('a.da@gmail.com')).toBe('ada@gmail.com')
    expect(canonicalMailbox('ad.a+x@googlemail.com')).toBe('ada@gmail.com')
    expect(canonicalMailbox('a.da@example.com')).toBe('a.da@example.com')
    expect(canonicalMailbox('a.da@mail.gmail.com')).toBe('a.da@mail.gmail.com')
  })

  it('gives every spelling of one Gmail mailbox the same key', () => {
    const spellings = [
      'ada@gmail.com',
      'A.D.A@gmail.com',
      'ada+otp@GoogleMail.com',
      'a.d.a+1@gmail.com',
    ]
    expect(new Set(spellings.map(canonicalMailbox))).toEqual(new Set(['ada@gmail.com']))
  })
})
