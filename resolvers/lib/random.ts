import { util } from '@aws-appsync/utils'
import { unavailable } from './errors'

const HEX = '0123456789abcdef'

/** A version 4, variant 1 UUID in lower-case hex, as `util.autoId()` returns it. */
const UUID_V4 = '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'

/**
 * The 30 fully random hex digits of a v4 UUID from `util.autoId()` (a cryptographically
 * secure source, unlike the math helpers of `util`). Skips the version nibble and the variant
 * nibble, which carry fewer random bits. Halts with `ServiceUnavailable` when the UUID is not
 * of that shape: reading anything else would yield fewer random digits than promised.
 */
function randomNibbles(): number[] {
  const uuid = util.autoId()
  if (!util.matches(UUID_V4, uuid)) unavailable()
  return uuid
    .split('-')
    .join('')
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
 * kept on average; needing more than that for 10 digits has probability below 1e-20, and
 * halts with `ServiceUnavailable`.
 */
export function randomDigits(length: number): string {
  const digits: number[] = []
  for (const nibble of [...randomNibbles(), ...randomNibbles(), ...randomNibbles()]) {
    if (nibble < 10 && digits.length < length) digits.push(nibble)
  }
  if (digits.length !== length) unavailable()
  return digits.join('')
}
