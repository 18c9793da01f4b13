import { describe, expect, it } from 'vitest'
import { chiSquare, chiSquareCritical, chiSquarePValue } from './chi-square.js'

/**
 * A check of the test tools, not of the product: the randomness suite (randomness.test.ts) can
 * only catch a biased source if its statistic and thresholds are right.
 */
describe('chi-square test tools', () => {
  it.each([
    // Published critical values (NIST/SEMATECH e-Handbook, table 1.3.6.7.4), 3 decimals.
    [1, 0.05, 3.841],
    [9, 0.01, 21.666],
    [15, 0.001, 37.697],
    [99, 0.001, 148.23],
  ])(
    'computes the critical value of %i degrees of freedom at p = %f as the tables do',
    (df, p, published) => {
      expect(chiSquareCritical(df, p)).toBeCloseTo(published, 1)
      expect(chiSquarePValue(published, df)).toBeCloseTo(p, 4)
    },
  )

  it('scores a modulo-biased digit source (hex nibbles taken mod 10) far above the digit threshold', () => {
    const counts = Array.from({ length: 10 }, () => 0)
    for (let draw = 0; draw < 120_000; draw += 1) {
      const digit = (draw % 16) % 10
      counts[digit] = (counts[digit] ?? 0) + 1
    }
    expect(chiSquare(counts, 12_000)).toBeGreaterThan(chiSquareCritical(9, 1e-6) * 100)
  })

  it('scores a hex position that takes only 8 of 16 values (one bit lost) far above the per-position threshold', () => {
    const counts = Array.from({ length: 16 }, (_, digit) => (digit < 8 ? 2_000 : 0))
    expect(chiSquare(counts, 1_000)).toBeGreaterThan(chiSquareCritical(15, 1e-7) * 100)
  })
})
