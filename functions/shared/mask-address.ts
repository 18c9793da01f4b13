/**
 * The address as it may appear in a log line: first character of the local part, then `***`,
 * then the domain (`j***@example.com`). Anything that is not a plain address becomes `***`.
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@')
  if (at < 1 || /[\s\p{Cc}]/u.test(address)) return '***'
  return `${address.slice(0, 1)}***${address.slice(at)}`
}
