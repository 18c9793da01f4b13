import { util } from '@aws-appsync/utils'

const HEX = '0123456789abcdef'

/**
 * The 30 fully random hex digits of a v4 UUID from `util.autoId()` (a cryptographically
 * secure source, unlike the math helpers of `util`). Skips the version nibble and the variant
 * nibble, which carry fewer random bits.
 */
function randomNibbles(): number[] {
  const hex = util.autoId().split('-').join('')
  return hex
    .split('')
    .filter((_char, index) => index !== 12 && index !== 16)
    .map((char) => HEX.indexOf(char))
}

/** 128 random bits as 32 lower-case hex characters (session ids and verification tokens). */
export function randomId128(): string {
  const bits = [...randomNibbles(), ...randomNibbles().slice(0, 2)]
  return bits.map((n) => HEX.charAt(n)).join('')
}

/**
 * `length` uniform decimal digits by rejection sampling: a nibble 0..15 is kept only when
 * it is below 10, so every digit is equally likely. Three UUIDs give 90 nibbles, about 56
 * kept on average; needing more than that for 10 digits has probability below 1e-20.
 * Returns null in that case so the caller can fail cleanly.
 */
export function randomDigits(length: number): string | null {
  const digits: number[] = []
  for (const nibble of [...randomNibbles(), ...randomNibbles(), ...randomNibbles()]) {
    if (nibble < 10 && digits.length < length) digits.push(nibble)
  }
  return digits.length === length ? digits.join('') : null
}
