/**
 * How the local runtime refuses what AppSync offers but it does not implement exactly: one wording
 * everywhere, so that a developer recognises the refusal for what it is (a local gap, not an
 * AppSync error). Runs inside the sandbox as well as on the host: plain ECMAScript only.
 */

/** "`<feature>` is not supported by the local AppSync runtime". */
export function notSupported(feature: string): string {
  return `\`${feature}\` is not supported by the local AppSync runtime`
}
