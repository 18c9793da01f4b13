/**
 * `util.autoUlid` and `util.autoKsuid`, from the host's cryptographic random bytes.
 * Runs inside the sandbox: plain ECMAScript only.
 */
import type { HostBridge } from './host.js'

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const KSUID_EPOCH_SECONDS = 1_400_000_000

function encode(value: bigint, alphabet: string, length: number): string {
  const base = BigInt(alphabet.length)
  let rest = value
  let out = ''
  for (const _ of new Array<undefined>(length)) {
    out = alphabet.charAt(Number(rest % base)) + out
    rest /= base
  }
  return out
}

/** 26 characters: 48 bits of milliseconds, then 80 random bits, Crockford base32. */
export function autoUlid(host: HostBridge): string {
  return (
    encode(BigInt(host.nowMs()), crockford, 10) +
    encode(BigInt(`0x${host.randomHex(10)}`), crockford, 16)
  )
}

/** 27 characters: 32 bits of seconds since the KSUID epoch, then 128 random bits, base62. */
export function autoKsuid(host: HostBridge): string {
  const seconds = Math.floor(host.nowMs() / 1000) - KSUID_EPOCH_SECONDS
  const timestamp = seconds.toString(16)
  const hex = `${'00000000'.slice(timestamp.length)}${timestamp}${host.randomHex(16)}`
  return encode(BigInt(`0x${hex}`), base62, 27)
}
