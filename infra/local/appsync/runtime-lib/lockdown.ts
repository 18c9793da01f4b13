/**
 * Takes away what APPSYNC_JS does not offer, after the bundle has loaded (esbuild's module
 * wrapper uses `Object.defineProperty` while loading). The method list is the one AWS's own
 * linter (`@aws-appsync/eslint-plugin`, rule `no-disallowed-methods`) reports as not implemented,
 * minus the conversions JavaScript calls implicitly (`toString`, `valueOf`, `toLocaleString`).
 * Runs inside the sandbox: plain ECMAScript only.
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
  String: ['fromCharCode', 'fromCodePoint', 'raw'],
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
  // Not a cryptographic source, and not something a resolver should lean on: util.autoId() is.
  Math: ['random'],
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

/** Replaces each missing method with one that throws a TypeError naming it. Idempotent. */
export function lockDown(): void {
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
  const global = globalThis as Record<string, unknown>
  for (const name of missingGlobals) delete global[name]
}
