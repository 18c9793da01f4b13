/**
 * Pearson's chi-square test for the uniformity suites: the statistic, its p-value, and the
 * critical value for a chosen false-alarm probability, computed rather than copied from a table
 * (test/otp/chi-square.test.ts checks them against published tables).
 */

/** Pearson's statistic for observed `counts` when every category expects `expected`. */
export function chiSquare(counts: readonly number[], expected: number): number {
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0)
}

/** ln Γ(z) for z > 0 (Lanczos, g = 7, nine terms: about 15 significant digits). */
function logGamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ]
  const x = z - 1
  const t = x + 7.5
  const series = c.slice(1).reduce((sum, coefficient, i) => sum + coefficient / (x + i + 1), c[0]!)
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(series)
}

/** The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1
  const front = Math.exp(a * Math.log(x) - x - logGamma(a))
  if (x < a + 1) {
    // Series for P(a, x); Q = 1 - P is accurate here because P is not close to 1.
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n += 1) {
      term *= x / (a + n)
      sum += term
    }
    return 1 - sum * front
  }
  // Continued fraction for Q(a, x) (modified Lentz), accurate far into the tail.
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 10_000; i += 1) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return front * h
}

/** P(X ≥ statistic) for X chi-square distributed with `df` degrees of freedom. */
export function chiSquarePValue(statistic: number, df: number): number {
  return upperGamma(df / 2, statistic / 2)
}

/**
 * The statistic a uniform source exceeds with probability `p` (df degrees of freedom): the
 * threshold of a test that fails a sound source once in 1/p runs.
 */
export function chiSquareCritical(df: number, p: number): number {
  let low = 0
  let high = df + 20 * Math.sqrt(2 * df) + 200
  for (let step = 0; step < 200; step += 1) {
    const middle = (low + high) / 2
    if (chiSquarePValue(middle, df) > p) low = middle
    else high = middle
  }
  return (low + high) / 2
}
