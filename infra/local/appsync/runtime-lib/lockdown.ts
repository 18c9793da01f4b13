/**
 * Takes away what APPSYNC_JS does not offer, after the bundle has loaded (esbuild's module
 * wrapper uses `Object.defineProperty` while loading). The method list is the one AWS's own
 * linter (`@aws-appsync/eslint-plugin`, rule `no-disallowed-methods`) reports as not implemented,
 * minus the conversions JavaScript calls implicitly (`toString`, `valueOf`, `toLocaleString`).
 * The linter also lists `String.raw`, `String.fromCharCode` and `String.fromCodePoint` under
 * `String`, where its rule never matches them (they live on `StringConstructor`); AWS's "Supported
 * runtime features" lists `String.raw()` as supported, so it stays, while the other two, on which
 * AWS says nothing, are refused as local gaps. `Math.random` stays: it is an ES built-in AWS's list
 * of Math functions includes and the linter does not flag (it is no cryptographic source: S1 uses
 * `util.autoId()`). Runs inside the sandbox: plain ECMAScript only.
 */

const missingMethods: Record<string, string[]> = {
  Array: ['from', 'of'],
  'Array.prototype': ['copyWithin', 'entries', 'keys', 'values'],
  Object: [
    'create',
    'defineProperties',
    'defineProperty',
    'freeze',
    'getOwnPropertyDescriptor',
    'getOwnPropertyDescriptors',
    'getOwnPropertyNames',
    'getOwnPropertySymbols',
    'getPrototypeOf',
    'is',
    'isExtensible',
    'isFrozen',
    'isSealed',
    'preventExtensions',
    'seal',
    'setPrototypeOf',
  ],
  'String.prototype': [
    'charCodeAt',
    'localeCompare',
    'matchAll',
    'padEnd',
    'padStart',
    'repeat',
    'search',
    'toLocaleLowerCase',
    'toLocaleUpperCase',
  ],
  'Date.prototype': [
    'setDate',
    'setFullYear',
    'setHours',
    'setMilliseconds',
    'setMinutes',
    'setMonth',
    'setSeconds',
    'setTime',
    'setUTCDate',
    'setUTCFullYear',
    'setUTCHours',
    'setUTCMilliseconds',
    'setUTCMinutes',
    'setUTCMonth',
    'setUTCSeconds',
    'setYear',
    'toGMTString',
    'toLocaleDateString',
    'toLocaleString',
    'toLocaleTimeString',
  ],
}

// On AppSync these may or may not exist: refused as local gaps rather than guessed.
const undocumentedMethods: Record<string, string[]> = {
  String: ['fromCharCode', 'fromCodePoint'],
}

// Host and concurrency facilities no resolver runtime offers.
const missingGlobals = [
  'Promise',
  'WebAssembly',
  'SharedArrayBuffer',
  'Atomics',
  'FinalizationRegistry',
  'WeakRef',
  'Intl',
  'eval',
]

function holder(path: string): Record<string, unknown> | undefined {
  let target: unknown = globalThis
  for (const part of path.split('.'))
    target = (target as Record<string, unknown> | undefined)?.[part]
  return target as Record<string, unknown> | undefined
}

/**
 * Replaces each missing method with one that throws a TypeError naming it, and each undocumented
 * one with the local runtime's refusal (`refuse`). Idempotent.
 */
export function lockDown(refuse: (feature: string) => never): void {
  for (const path of Object.keys(missingMethods)) {
    const target = holder(path)
    if (target === undefined) continue
    for (const method of missingMethods[path] ?? []) {
      const name = `${path}.${method}`
      target[method] = function notImplemented(): never {
        throw new TypeError(`${name} is not implemented in APPSYNC_JS`)
      }
    }
  }
  for (const path of Object.keys(undocumentedMethods)) {
    const target = holder(path)
    for (const method of undocumentedMethods[path] ?? [])
      if (target) target[method] = () => refuse(`${path}.${method}`)
  }
  const global = globalThis as Record<string, unknown>
  for (const name of missingGlobals) delete global[name]
}
