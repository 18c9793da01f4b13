import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bundleDir, repoRoot } from '../../infra/api.js'
import { loadResolverBundle, type LoadedBundle } from '../../infra/local/appsync/sandbox.js'
import { defaultSettings, toResolverEnv } from '../../infra/settings.js'
import { chiSquare, chiSquareCritical } from './chi-square.js'
import { loadStep, sessionItem, withUuidSource } from './steps.js'

// Thresholds at which a uniform source fails once in 1/p runs: p = 1e-6 for the digit tests,
// 1e-7 for each of the 64 per-position tests (so the suite still fails a sound source about
// once in 150,000 runs). A biased source scores far above them (test/otp/chi-square.test.ts).
const DIGITS_CRITICAL = chiSquareCritical(9, 1e-6)
const DIGIT_PAIRS_CRITICAL = chiSquareCritical(99, 1e-6)
const HEX_POSITION_CRITICAL = chiSquareCritical(15, 1e-7)

const env = toResolverEnv(defaultSettings, 'otp')

function loadResolver(name: string): Promise<LoadedBundle> {
  return readFile(join(repoRoot, bundleDir, `${name}.js`), 'utf8').then((code) =>
    loadResolverBundle(name, code),
  )
}

/** Runs the requestOtp bundle's request handler, which draws the session id and the code. */
function requestOtp(bundle: LoadedBundle, codeLength = defaultSettings.codeLength) {
  return bundle.invoke({
    handler: 'request',
    authType: 'API_KEY',
    ctx: {
      arguments: { email: 'ada@example.com' },
      env: toResolverEnv({ ...defaultSettings, codeLength }, 'otp'),
      stash: {},
      request: { headers: {} },
    },
  })
}

/** Runs the verifySession bundle's request handler for a right code: it draws the token. */
function verifySession(bundle: LoadedBundle) {
  const session = sessionItem({ sessionId: '0123456789abcdef0123456789abcdef', attempts: 1 })
  return bundle.invoke({
    handler: 'request',
    authType: 'API_KEY',
    ctx: {
      arguments: {},
      env,
      stash: {
        check: { now: Date.now(), sessionId: session.sessionId, code: session.code },
        session,
        verdict: 'right',
      },
    },
  })
}

function drawCodes(bundle: LoadedBundle, count: number, codeLength: number): string[] {
  return Array.from({ length: count }, () => {
    const session = requestOtp(bundle, codeLength).stash.newSession as { code: string }
    return session.code
  })
}

function tally(values: Iterable<number>, categories: number): number[] {
  const counts = Array.from({ length: categories }, () => 0)
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}

describe('codes (S1)', () => {
  let bundle: LoadedBundle
  beforeAll(async () => {
    bundle = await loadResolver('Mutation.requestOtp')
  })

  it.each([4, 6, 10])('draws exactly %i decimal digits', (codeLength) => {
    for (const code of drawCodes(bundle, 200, codeLength))
      expect(code).toMatch(new RegExp(`^[0-9]{${codeLength}}$`))
  })

  it('draws every digit equally often (chi-square over 120,000 digits, p = 1e-6)', () => {
    const digits = drawCodes(bundle, 20_000, 6).join('')
    const counts = tally([...digits].map(Number), 10)
    expect(chiSquare(counts, digits.length / 10)).toBeLessThan(DIGITS_CRITICAL)
  })

  it('draws every pair of adjacent digits equally often, so positions are independent (chi-square, p = 1e-6)', () => {
    const codes = drawCodes(bundle, 20_000, 6)
    const pairs = codes.flatMap((code) => [0, 2, 4].map((at) => Number(code.slice(at, at + 2))))
    expect(chiSquare(tally(pairs, 100), pairs.length / 100)).toBeLessThan(DIGIT_PAIRS_CRITICAL)
  })
})

describe('session ids and verification tokens (S6: 128 random bits)', () => {
  const draws: Record<string, () => string> = {}
  beforeAll(async () => {
    const requestBundle = await loadResolver('Mutation.requestOtp')
    const verifyBundle = await loadStep('verifySession')
    draws['session ids'] = () =>
      (requestOtp(requestBundle).stash.newSession as { sessionId: string }).sessionId
    draws['verification tokens'] = () =>
      (verifySession(verifyBundle).stash.token as { value: string }).value
  })

  it.each(['session ids', 'verification tokens'])(
    'draws every hex digit equally often at each of the 32 positions of %s (chi-square per position over 16,000 draws, p = 1e-7)',
    (kind) => {
      const ids = Array.from({ length: 16_000 }, () => (draws[kind] as () => string)())
      for (const id of ids.slice(0, 100)) expect(id).toMatch(/^[0-9a-f]{32}$/)
      const scores = Array.from({ length: 32 }, (_, position) => {
        const counts = tally(
          ids.map((id) => parseInt(id.charAt(position), 16)),
          16,
        )
        return chiSquare(counts, ids.length / 16)
      })
      expect(Math.max(...scores)).toBeLessThan(HEX_POSITION_CRITICAL)
    },
  )

  it('never repeats among 20,000 session ids (a 24-bit source would, with probability 1 - 7e-6)', () => {
    const ids = new Set(
      Array.from({ length: 20_000 }, () => (draws['session ids'] as () => string)()),
    )
    expect(ids.size).toBe(20_000)
  })
})

describe('the random source (S1, S6)', () => {
  const uuid = randomUUID()
  it.each([
    ['in upper case', uuid.toUpperCase()],
    ['with a character that is not hex', `g${uuid.slice(1)}`],
    ['of version 1', `${uuid.slice(0, 14)}1${uuid.slice(15)}`],
    ['without dashes', uuid.split('-').join('')],
    ['in braces', `{${uuid}}`],
    ['empty', ''],
  ])(
    'refuses to draw a code or a session id from a UUID %s, with ServiceUnavailable',
    async (_case, faulty) => {
      const bundle = await withUuidSource(
        () => faulty,
        () => loadResolver('Mutation.requestOtp'),
      )

      const report = requestOtp(bundle)

      expect(report.outcome).toMatchObject({
        kind: 'error',
        error: { errorType: 'ServiceUnavailable' },
      })
      expect(report.stash.newSession).toBeUndefined()
    },
  )

  it('refuses to draw a verification token from a UUID in upper case, with ServiceUnavailable', async () => {
    const bundle = await withUuidSource(
      () => uuid.toUpperCase(),
      () => loadStep('verifySession'),
    )

    const report = verifySession(bundle)

    expect(report.outcome).toMatchObject({
      kind: 'error',
      error: { errorType: 'ServiceUnavailable' },
    })
    expect(report.stash.token).toBeUndefined()
  })

  it('draws from a lower-case v4 UUID (the control for the refusals above)', async () => {
    const bundle = await withUuidSource(
      () => uuid,
      () => loadResolver('Mutation.requestOtp'),
    )

    expect(requestOtp(bundle).outcome).toMatchObject({ kind: 'return' })
  })
})
