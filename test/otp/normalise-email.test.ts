import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bundleDir, repoRoot } from '../../infra/api.js'
import { loadResolverBundle, type LoadedBundle } from '../../infra/local/appsync/sandbox.js'
import { defaultSettings, toResolverEnv } from '../../infra/settings.js'

/**
 * The requestOtp bundle's own address check (S7), called directly in the sandbox: AppSync's
 * AWSEmail scalar refuses most bad addresses first, but the resolver must not rely on it.
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
      ctx: { arguments: { email }, env, stash: {} },
    })
  }

  it('trims and lower-cases the address once', () => {
    const report = request('  Ada.Lovelace@Example.COM ')
    expect(report.outcome.kind).toBe('return')
    expect(report.stash.newSession).toMatchObject({ email: 'ada.lovelace@example.com' })
  })

  it.each([
    ['a NUL', 'ada\u0000x@example.com'],
    ['an escape', 'ada\u001b[31m@example.com'],
    ['a DEL', 'ada\u007f@example.com'],
    ['a CR/LF header', 'ada\r\nbcc:eve@example.com'],
    ['a tab', 'ada\tx@example.com'],
    ['a second @', 'ada@eve@example.com'],
    ['a quote', '"ada"@example.com'],
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
