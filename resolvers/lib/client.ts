import { util } from '@aws-appsync/utils'

/** What a client counts as when its address cannot be read: every such request shares one key. */
export const UNKNOWN_CLIENT = 'unknown'

/**
 * The requester (S11, S12): the key that limits count a client by. AppSync appends the address of
 * the TCP peer that reached its front end to `x-forwarded-for`, then the front end's own, so the
 * entry before the last is the client as AppSync saw it. Whatever a client sends in its own
 * `x-forwarded-for` comes before both and is never read. An IPv6 client counts by its /64 (one
 * home or host holds a whole /64), an IPv4-mapped IPv6 address as the IPv4 address it maps.
 */
export function requesterOf(headers: Record<string, string | undefined>): string {
  const entries = (headers['x-forwarded-for'] ?? '').split(',')
  const seen = entries.length >= 2 ? entries[entries.length - 2] ?? '' : ''
  return clientKey(seen.trim().toLowerCase())
}

function clientKey(address: string): string {
  const mapped = address.indexOf('::ffff:') === 0 ? address.slice(7) : address
  if (util.matches('^[0-9]{1,3}(\\.[0-9]{1,3}){3}$', mapped)) return mapped
  return ipv6Prefix64(address) ?? UNKNOWN_CLIENT
}

/** The first four groups of an IPv6 address, without leading zeros, as `a:b:c:d::/64`; null if malformed. */
function ipv6Prefix64(address: string): string | null {
  const halves = address.split('::')
  if (!util.matches('^[0-9a-f:]{2,39}$', address) || halves.length > 2) return null
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves[1] ? halves[1].split(':') : []
  const given = head.length + tail.length
  if (halves.length === 1 ? given !== 8 : given > 7) return null
  if (![...head, ...tail].every((group) => util.matches('^[0-9a-f]{1,4}$', group))) return null
  const groups = [0, 1, 2, 3].map((i) => (i < head.length ? head[i] : tail[i - 8 + tail.length]))
  return `${groups.map(withoutLeadingZeros).join(':')}::/64`
}

function withoutLeadingZeros(group: string | undefined): string {
  const digits = (group ?? '0').split('')
  const first = digits.findIndex((digit) => digit !== '0')
  return first < 0 ? '0' : digits.slice(first).join('')
}
