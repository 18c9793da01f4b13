/**
 * Loads a resolver bundle (the exact ESM text CDK deploys) into its own `node:vm` context that
 * offers what APPSYNC_JS offers: ECMAScript built-ins minus what AppSync lacks, the `util`,
 * `runtime`, `extensions` and capturing `console` globals, and the `@aws-appsync/utils` module. No `process`, `require`, timers, `fetch`, `eval` or `Function` constructor.
 *
 * The ESM text becomes a script (esbuild, format iife, the AppSync imports routed to the
 * runtime library, no other change) because `vm.SourceTextModule` needs
 * `--experimental-vm-modules`. Only JSON text crosses the boundary between host and context,
 * besides the host bridge, which the runtime library wraps: no host object or function is
 * reachable from resolver code, because its `constructor.constructor` would be the host's
 * `Function`, which compiles `return process`.
 */
import { createHash } from 'node:crypto'
import vm from 'node:vm'
import { APPSYNC_CODE_LIMIT } from '../../bundle.js'
import type { InvocationReport, InvocationRequest, SandboxRuntime } from './runtime-lib/host.js'
import { describeRejection, toScript } from './bundle-script.js'
import { unsupportedSyntax } from './bundle-syntax.js'
import { runtimeLibScript } from './runtime-lib-script.js'
import { hostBridge } from './sandbox-host.js'

export type { InvocationReport, InvocationRequest } from './runtime-lib/host.js'

/** Thrown when AppSync would refuse a bundle: too long, or using syntax APPSYNC_JS lacks. */
export class BundleRejectedError extends Error {
  override name = 'BundleRejectedError'
}

/** A bundle ready to run; each call runs one handler in the bundle's own context. */
export interface LoadedBundle {
  readonly name: string
  /** SHA-256 of the bundle text, to tell versions apart in logs. */
  readonly digest: string
  invoke(request: InvocationRequest): InvocationReport
}

export interface LoadOptions {
  /**
   * Longest a handler may run; by default there is no limit, because the watchdog Node needs for
   * one costs about 65 µs per handler and the loader already refuses `while`, `do-while` and
   * `for (;;)` (nested `for-of` loops over big arrays can still run long). The module's top
   * level always gets {@link LOAD_TIMEOUT_MS}.
   */
  timeoutMs?: number
}

/** How long a bundle's top-level code may run while loading. */
export const LOAD_TIMEOUT_MS = 5000

/**
 * Loads one bundle. Caches nothing: callers keep the returned {@link LoadedBundle}.
 * @throws BundleRejectedError when the code exceeds 32,768 characters, uses a statement or
 *   operator APPSYNC_JS lacks (async functions, generators, classes, try/catch, throw, while,
 *   `for(;;)`, `++`, ...: see bundle-syntax.ts), or does not export `request` and `response`.
 */
export async function loadResolverBundle(
  name: string,
  code: string,
  options: LoadOptions = {},
): Promise<LoadedBundle> {
  if (code.length > APPSYNC_CODE_LIMIT) {
    throw new BundleRejectedError(
      `${name} is ${code.length} characters; AppSync accepts at most ${APPSYNC_CODE_LIMIT}`,
    )
  }
  let script: string
  try {
    script = await toScript(name, code)
  } catch (error) {
    throw new BundleRejectedError(describeRejection(name, error))
  }
  const refusal = unsupportedSyntax(name, code)
  if (refusal) throw new BundleRejectedError(refusal)
  // A null-prototype object: the context's global would otherwise inherit from the host's
  // Object.prototype, and `globalThis.constructor.constructor` would be the host's Function.
  const context = vm.createContext(Object.create(null) as object, {
    name: `appsync:${name}`,
    codeGeneration: { strings: false, wasm: false },
  })
  ;(await runtimeLibScript()).runInContext(context)
  vm.runInContext(
    'globalThis.__appsyncRuntime = __appsyncRuntimeLib.installRuntime(__appsyncHost); delete globalThis.__appsyncRuntimeLib; delete globalThis.__appsyncHost',
    Object.assign(context, { __appsyncHost: hostBridge }),
  )
  let exportsObject: Record<string, unknown>
  try {
    new vm.Script(script, { filename: `${name}.js` }).runInContext(context, {
      timeout: LOAD_TIMEOUT_MS,
    })
    exportsObject = vm.runInContext('__appsyncBundle', context) as Record<string, unknown>
  } catch (error) {
    throw new BundleRejectedError(
      `${name} failed while loading: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  if (typeof exportsObject.request !== 'function' || typeof exportsObject.response !== 'function') {
    throw new BundleRejectedError(`${name} must export both a request and a response function`)
  }
  const sandbox = vm.runInContext('__appsyncRuntime', context) as SandboxRuntime
  sandbox.lockDown()
  const timeout = options.timeoutMs
  const watched = new vm.Script('__appsyncRuntime.invoke(__appsyncExports, __appsyncCall)', {
    filename: `appsync-runtime:${name}`,
  })
  Object.assign(context, { __appsyncExports: exportsObject })
  const run = (json: string): string => {
    if (timeout === undefined) return sandbox.invoke(exportsObject, json)
    Object.assign(context, { __appsyncCall: json })
    return watched.runInContext(context, { timeout }) as string
  }
  const digest = createHash('sha256').update(code).digest('hex')

  return {
    name,
    digest,
    invoke(request) {
      try {
        return JSON.parse(run(JSON.stringify(request))) as InvocationReport
      } catch (error) {
        // The timeout error is created in the context's realm: test its text, not its class.
        const timedOut = /timed out/.test(String(error))
        return {
          outcome: {
            kind: 'exception',
            name: 'Error',
            message: timedOut ? `Execution timed out after ${String(timeout)} ms` : String(error),
          },
          stash: request.ctx.stash as Record<string, unknown>,
          appendedErrors: [],
          logs: [],
        }
      }
    },
  }
}
