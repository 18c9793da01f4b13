import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bundleDir, repoRoot } from '../../infra/api.js'
import { loadResolverBundle, type LoadedBundle } from '../../infra/local/appsync/sandbox.js'
import { defaultSettings, toResolverEnv } from '../../infra/settings.js'

/**
 * The requestOtp bundle's own address check (S7), called directly in the sandbox: AppSync's
 * AWSEmail scalar refuses most bad addresses first, but AWS documents it only as "RFC 822", so
 * the resolver must not rely on it: nothing but a plain ASCII address may reach SES.
 */
describe('requestOtp address normalisation (S7)', () => {
  let bundle: LoadedBundle
  beforeAll(async () => {
    const code = await readFile(join(repoRoot, bundleDir, 'Mutation.requestOtp.js'), 'utf8')
    bundle = await loadResolverBundle('Mutation.requestOtp', code)
  })

  function request(email: string) {
    const env = toResolverEnv(defaultSettings, 'otp')
    return bundle.invoke({
      handler: 'request',
      authType: 'API_KEY',
      ctx: { arguments: { email }, env, stash: {}, request: { headers: {} } },
    })
  }

  it('trims and lower-cases the address once', () => {
    const report = request('  Ada.Lovelace@Example.COM ')
    expect(report.outcome.kind).toBe('return')
    expect(report.stash.newSession).toMatchObject({ email: 'ada.lovelace@example.com' })
  })

  it.each([
    ['a dot-atom with every special character', "a!#$%&'*+/=?^_`{|}~-z@example.com"],
    ['dots between atoms and a sub-domain', "o'brien.first+news@mail.example.co.uk"],
    ['an ASCII (punycode) international domain', 'ada@xn--bcher-kva.example'],
    ['digits and inner hyphens in labels', 'ada@1-2.example-mail.io'],
    [
      'a 64-character local part and a 63-character label',
      `${'a'.repeat(64)}@${'b'.repeat(63)}.com`,
    ],
    [
      'exactly 254 characters',
      `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`,
    ],
  ])('accepts %s', (_case, email) => {
    expect(email.length).toBeLessThanOrEqual(254)
    const report = request(email)
    expect(report.outcome.kind).toBe('return')
    expect(report.stash.newSession).toMatchObject({ email: email.toLowerCase() })
  })

  it.each([
    ['a NUL', 'ada\u0000x@example.com'],
    ['an escape', 'ada\u001b[31m@example.com'],
    ['a DEL', 'ada\u007f@example.com'],
    ['a C1 control (NEL)', 'ada\u0085x@example.com'],
    ['a C1 control (CSI)', 'ada\u009b31m@example.com'],
    ['a right-to-left override', 'ada\u202emoc.liame@example.com'],
    ['a right-to-left isolate in the domain', 'ada@exam\u2067ple.com'],
    ['a right-to-left mark', 'ada\u200f@example.com'],
    ['an Arabic letter mark', 'ada\u061c@example.com'],
    ['a zero-width space', 'ad\u200ba@example.com'],
    ['a byte-order mark inside', 'ada@exa\ufeffmple.com'],
    ['a non-breaking space inside', 'ada\u00a0x@example.com'],
    ['an accented letter', 'adé@example.com'],
    ['a Cyrillic look-alike in the domain', 'ada@ex\u0430mple.com'],
    ['a Unicode domain (U-label)', 'ada@bücher.example'],
    ['a full-width at sign', 'ada\uff20example.com'],
    ['a Kelvin sign, which lower-cases to an ASCII k', 'ada\u212a@example.com'],
    ['an emoji (a surrogate pair)', 'ada\u{1f600}@example.com'],
    ['a CR/LF header', 'ada\r\nbcc:eve@example.com'],
    ['a tab', 'ada\tx@example.com'],
    ['a space inside', 'ada x@example.com'],
    ['a second @', 'ada@eve@example.com'],
    ['a quoted local part', '"ada"@example.com'],
    ['a leading dot', '.ada@example.com'],
    ['a trailing dot before the @', 'ada.@example.com'],
    ['two dots in a row', 'ada..x@example.com'],
    ['a label starting with a hyphen', 'ada@-example.com'],
    ['a label ending with a hyphen', 'ada@example-.com'],
    ['an empty label', 'ada@example..com'],
    ['an underscore in the domain', 'ada@ex_ample.com'],
    ['a domain literal', 'ada@[192.0.2.1]'],
    ['a domain without a dot', 'ada@localhost'],
    ['a 64-character label', `ada@${'b'.repeat(64)}.com`],
    ['a 65-character local part', `${'a'.repeat(65)}@example.com`],
    [
      '255 characters',
      `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(
        9,
      )}.com`,
    ],
  ])('refuses an address with %s as BadRequest on the email field', (_case, email) => {
    const report = request(email)
    expect(report.outcome).toMatchObject({
      kind: 'error',
      error: { errorType: 'BadRequest', errorInfo: { field: 'email' } },
    })
    expect(report.stash.newSession).toBeUndefined()
  })
})
