/**
 * The APPSYNC_JS runtime library, installed into one `node:vm` context before a resolver bundle
 * loads: the `util`, `runtime`, `extensions` and `console` globals, the `@aws-appsync/utils` module,
 * and the entry point the host calls for each handler. Bundled by esbuild into one script and
 * run inside the context, so every object resolver code can reach belongs to the context.
 * The helper modules `@aws-appsync/utils/dynamodb`, `/rds` and `/ai` are refused when a bundle
 * imports them: their output is not reproduced exactly here.
 */
import { guardBridge } from './guard-bridge.js'
import type {
  HandlerOutcome,
  HostBridge,
  InvocationReport,
  InvocationRequest,
  SandboxRuntime,
} from './host.js'
import { lockDown } from './lockdown.js'
import { notSupported } from './unsupported.js'
import { createUtil } from './util.js'

interface InvocationState {
  report: Omit<InvocationReport, 'outcome' | 'stash'>
  field: { fieldName: string; parentTypeName: string }
  authType: string
}

interface Halt {
  halt: symbol
  outcome: HandlerOutcome
}

function describe(args: unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg
      const json = JSON.stringify(arg)
      return json === undefined ? String(arg) : json
    })
    .join(' ')
}

const refusedModules = [
  '@aws-appsync/utils/dynamodb',
  '@aws-appsync/utils/rds',
  '@aws-appsync/utils/ai',
]

/** Installs the runtime in the current global object and returns the host's handle on it. */
export function installRuntime(hostBridge: HostBridge): SandboxRuntime {
  const host = guardBridge(hostBridge)
  const HALT = Symbol('halt')
  const freeze = Object.freeze
  let state: InvocationState = {
    report: { appendedErrors: [], logs: [] },
    field: { fieldName: '', parentTypeName: '' },
    authType: '',
  }
  const halt = (outcome: HandlerOutcome): never => {
    const signal: Halt = { halt: HALT, outcome }
    throw signal
  }

  const refuse = (feature: string): never =>
    halt({ kind: 'unsupported', message: notSupported(feature) })
  const util = createUtil(host, {
    raise: (message, errorType, data, errorInfo) =>
      halt({ kind: 'error', error: { message, errorType, data, errorInfo } }),
    append: (message, errorType, data, errorInfo) => {
      state.report.appendedErrors.push({ message, errorType, data, errorInfo })
    },
    refuse,
    field: () => state.field,
    authType: () => state.authType,
  })
  const runtime = {
    earlyReturn: (value?: unknown, options?: { skipTo?: 'END' | 'NEXT' }): never =>
      halt({ kind: 'earlyReturn', value, skipTo: options?.skipTo }),
  }
  // The cache and subscription helpers need a cache and a real-time endpoint the local runtime lacks.
  const extensions = {
    evictFromApiCache: () => refuse('extensions.evictFromApiCache'),
    setSubscriptionFilter: () => refuse('extensions.setSubscriptionFilter'),
    setSubscriptionInvalidationFilter: () => refuse('extensions.setSubscriptionInvalidationFilter'),
    invalidateSubscriptions: () => refuse('extensions.invalidateSubscriptions'),
  }
  const log =
    (level: 'INFO' | 'ERROR' | 'WARN' | 'DEBUG') =>
    (...args: unknown[]) => {
      state.report.logs.push({ level, message: describe(args) })
    }
  const console = {
    log: log('INFO'),
    info: log('INFO'),
    warn: log('WARN'),
    error: log('ERROR'),
    debug: log('DEBUG'),
  }
  const modules: Record<string, unknown> = {
    '@aws-appsync/utils': { util, runtime, extensions },
  }
  const global = globalThis as unknown as Record<string, unknown>
  global.util = util
  global.runtime = runtime
  global.extensions = extensions
  global.console = console

  return {
    require: (id) => {
      if (Object.hasOwn(modules, id)) return modules[id]
      if (refusedModules.includes(id)) throw new Error(notSupported(id))
      throw new Error(
        `Cannot find module '${id}': APPSYNC_JS offers only @aws-appsync/utils and its dynamodb, rds and ai modules`,
      )
    },
    lockDown: () => lockDown(refuse),
    invoke: (moduleExports, requestJson) => {
      const request = JSON.parse(requestJson) as InvocationRequest
      const info = (request.ctx.info ?? {}) as { fieldName?: string; parentTypeName?: string }
      state = {
        report: { appendedErrors: [], logs: [] },
        field: { fieldName: info.fieldName ?? '', parentTypeName: info.parentTypeName ?? '' },
        authType: request.authType,
      }
      const ctx: Record<string, unknown> = {
        ...request.ctx,
        env: freeze(request.ctx.env ?? {}),
        info: {
          ...info,
          // Their exact text (fragments, aliases, formatting) is not reproduced here.
          get selectionSetList(): never {
            return refuse('ctx.info.selectionSetList')
          },
          get selectionSetGraphQL(): never {
            return refuse('ctx.info.selectionSetGraphQL')
          },
        },
      }
      ctx.args = ctx.arguments
      const handler = (moduleExports as Record<string, (ctx: unknown) => unknown>)[request.handler]
      let outcome: HandlerOutcome
      try {
        outcome = { kind: 'return', value: handler?.(ctx) }
      } catch (error) {
        const signal = error as Partial<Halt> | null
        if (signal !== null && typeof signal === 'object' && signal.halt === HALT && signal.outcome)
          outcome = signal.outcome
        else if (error instanceof Error)
          outcome = { kind: 'exception', name: error.name, message: error.message }
        else outcome = { kind: 'exception', name: 'Error', message: String(error) }
      }
      const report = { ...state.report, stash: ctx.stash, outcome }
      try {
        return JSON.stringify(report)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        return JSON.stringify({
          ...report,
          stash: {},
          outcome: { kind: 'exception', name: 'TypeError', message },
        })
      }
    },
  }
}
