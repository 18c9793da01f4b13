import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bundleDir, repoRoot } from '../../infra/api.js'
import { loadResolverBundle, type LoadedBundle } from '../../infra/local/appsync/sandbox.js'
import { defaultSettings, toResolverEnv } from '../../infra/settings.js'

// Critical values of the chi-square distribution at p = 1e-6: a uniform source fails one run in a
// million, so the suite does not flake; a biased source scores far above it (see the last test).
const CHI2_CRITICAL = { 9: 44.811, 99: 180.792 } as const

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0)
}

/** Draws codes with the deployed requestOtp bundle's request handler, in the APPSYNC_JS sandbox. */
function drawCodes(bundle: LoadedBundle, count: number, codeLength: number): string[] {
  const env = toResolverEnv({ ...defaultSettings, codeLength }, 'otp')
  return Array.from({ length: count }, (_, index) => {
    const report = bundle.invoke({
      handler: 'request',
      authType: 'API_KEY',
      ctx: { arguments: { email: `user${index}@example.com` }, env, stash: {} },
    })
    const session = report.stash.newSession as { code: string }
    return session.code
  })
}

describe('codes (S1)', () => {
  let bundle: LoadedBundle
  beforeAll(async () => {
    const code = await readFile(join(repoRoot, bundleDir, 'Mutation.requestOtp.js'), 'utf8')
    bundle = await loadResolverBundle('Mutation.requestOtp', code)
  })

  it.each([4, 6, 10])('draws exactly %i decimal digits', (codeLength) => {
    for (const code of drawCodes(bundle, 200, codeLength))
      expect(code).toMatch(new RegExp(`^[0-9]{${codeLength}}$`))
  })

  it('draws every digit equally often (chi-square over 120,000 digits, p = 1e-6)', () => {
    const digits = drawCodes(bundle, 20_000, 6).join('')
    const counts = Array.from({ length: 10 }, () => 0)
    for (const digit of digits) counts[Number(digit)] = (counts[Number(digit)] ?? 0) + 1
    expect(chiSquare(counts, digits.length / 10)).toBeLessThan(CHI2_CRITICAL[9])
  })

  it('draws every pair of adjacent digits equally often, so positions are independent (chi-square, p = 1e-6)', () => {
    const counts = Array.from({ length: 100 }, () => 0)
    const codes = drawCodes(bundle, 20_000, 6)
    for (const code of codes) {
      for (const start of [0, 2, 4])
        counts[Number(code.slice(start, start + 2))] =
          (counts[Number(code.slice(start, start + 2))] ?? 0) + 1
    }
    expect(chiSquare(counts, (codes.length * 3) / 100)).toBeLessThan(CHI2_CRITICAL[99])
  })

  it('never repeats a session id across many draws (128 random bits)', () => {
    const env = toResolverEnv(defaultSettings, 'otp')
    const ids = new Set(
      Array.from({ length: 5_000 }, () => {
        const report = bundle.invoke({
          handler: 'request',
          authType: 'API_KEY',
          ctx: { arguments: { email: 'a@example.com' }, env, stash: {} },
        })
        return (report.stash.newSession as { sessionId: string }).sessionId
      }),
    )
    expect(ids.size).toBe(5_000)
    for (const id of [...ids].slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{32}$/)
  })

  it('would catch a modulo-biased source: hex nibbles taken mod 10 score far above the threshold', () => {
    const counts = Array.from({ length: 10 }, () => 0)
    for (let draw = 0; draw < 120_000; draw += 1) {
      const digit = (draw % 16) % 10
      counts[digit] = (counts[digit] ?? 0) + 1
    }
    expect(chiSquare(counts, 12_000)).toBeGreaterThan(CHI2_CRITICAL[9] * 100)
  })
})
