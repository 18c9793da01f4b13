import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bundleDir, repoRoot } from '../../infra/api.js'
import { loadResolverBundle, type LoadedBundle } from '../../infra/local/appsync/sandbox.js'
import { defaultSettings, toResolverEnv } from '../../infra/settings.js'

/**
 * Which client the limits count (S11, S12), read by the deployed verifyOtp bundle on the
 * APPSYNC_JS runtime from `x-forwarded-for` as AppSync hands it on: whatever the client sent, then
 * the client's address as AppSync's front end saw it, then the front end's own address.
 */
describe('the requester the limits count', () => {
  let bundle: LoadedBundle
  beforeAll(async () => {
    const code = await readFile(join(repoRoot, bundleDir, 'Mutation.verifyOtp.js'), 'utf8')
    bundle = await loadResolverBundle('Mutation.verifyOtp', code)
  })

  function requester(headers: Record<string, string>): unknown {
    const report = bundle.invoke({
      handler: 'request',
      authType: 'API_KEY',
      ctx: {
        arguments: { sessionId: '0123456789abcdef0123456789abcdef', code: '123456' },
        env: toResolverEnv(defaultSettings, 'otp'),
        stash: {},
        request: { headers },
      },
    })
    return (report.stash.check as { requester: string }).requester
  }

  it('is the entry AppSync appended before its own front end’s', () => {
    expect(requester({ 'x-forwarded-for': '203.0.113.9, 130.176.1.1' })).toBe('203.0.113.9')
  })

  it('ignores every entry the client sent itself, however many', () => {
    const spoofed = { 'x-forwarded-for': '10.0.0.1, 192.0.2.44, 203.0.113.9, 130.176.1.1' }

    expect(requester(spoofed)).toBe('203.0.113.9')
  })

  it.each([
    ['a full IPv6 address', '2001:db8:abcd:12:1:2:3:4', '2001:db8:abcd:12::/64'],
    ['a compressed IPv6 address in capitals', '2001:DB8::1', '2001:db8:0:0::/64'],
    ['groups with leading zeros', '2001:0db8:0000:00ff::1', '2001:db8:0:ff::/64'],
    ['the IPv6 loopback', '::1', '0:0:0:0::/64'],
    ['an IPv4-mapped IPv6 address', '::ffff:198.51.100.7', '198.51.100.7'],
  ])('counts %s by its /64 or its IPv4 address', (_case, address, expected) => {
    expect(requester({ 'x-forwarded-for': `${address}, 130.176.1.1` })).toBe(expected)
  })

  it('counts two addresses of one IPv6 /64 as one client', () => {
    const first = requester({ 'x-forwarded-for': '2001:db8:1:2::a, 130.176.1.1' })
    const second = requester({ 'x-forwarded-for': '2001:db8:1:2:ffff:1:2:3, 130.176.1.1' })

    expect(first).toBe(second)
  })

  it.each([
    ['no x-forwarded-for', {}],
    ['a single entry, which only a client can have written', { 'x-forwarded-for': '203.0.113.9' }],
    ['a malformed IPv6 address', { 'x-forwarded-for': '2001:db8::1::2, 130.176.1.1' }],
    ['a name instead of an address', { 'x-forwarded-for': 'localhost, 130.176.1.1' }],
  ])('counts a request with %s as the one shared unknown client', (_case, headers) => {
    expect(requester(headers)).toBe('unknown')
  })
})
