/**
 * Runs one pipeline resolver as AppSync does: resolver request → each step (request → data source
 * → response) in order → resolver response, sharing `ctx.stash`, passing each result on as
 * `ctx.prev.result`. `util.error` (or an exception) halts and the field resolves to null with that
 * error; `util.appendError` collects without halting. `runtime.earlyReturn` follows the AppSync
 * runtime reference: from the resolver request it skips to the resolver response (`NEXT`: to the
 * first step); from a step's request it skips that step's data source and response (`END`: to the
 * resolver response). A data-source error reaches the response handler as `ctx.error` (and, for a
 * cancelled transaction, `ctx.result.cancellationReasons`); it is reported only if the handler raises it.
 */
import { InvalidRequestError, UnsupportedRequestError, type DataSource } from './data-sources.js'
import type { RaisedError } from './runtime-lib/host.js'
import type { InvocationReport, LoadedBundle } from './sandbox.js'

export interface PipelineStepRuntime {
  name: string
  bundle: LoadedBundle
  dataSource: DataSource
}

export interface PipelineResolverRuntime {
  typeName: string
  fieldName: string
  bundle: LoadedBundle
  steps: readonly PipelineStepRuntime[]
}

/** The parts of `ctx` that come from the GraphQL request. */
export interface ResolverCall {
  arguments: Record<string, unknown>
  source: unknown
  identity: unknown
  request: { headers: Record<string, string>; domainName: null }
  info: {
    fieldName: string
    parentTypeName: string
    variables: Record<string, unknown>
  }
  env: Record<string, string>
  /** `util.authType()`: `API Key Authorization` or `IAM Authorization`. */
  authType: string
}

/** The field's value, the errors appended on the way, and the error that halted it, if any. */
export interface PipelineResult {
  value: unknown
  appendedErrors: RaisedError[]
  error?: RaisedError
}

/** Where the resolver's handlers report `console` lines. */
export type ResolverLog = (entry: { resolver: string; level: string; message: string }) => void

type Step =
  | { done: true; result: PipelineResult }
  | { done: false; value: unknown; skipTo?: 'END' | 'NEXT' }

/** Runs the pipeline for one field. */
export async function runPipeline(
  resolver: PipelineResolverRuntime,
  call: ResolverCall,
  log: ResolverLog = () => undefined,
): Promise<PipelineResult> {
  let stash: Record<string, unknown> = {}
  const appendedErrors: RaisedError[] = []
  const base = {
    arguments: call.arguments,
    identity: call.identity,
    source: call.source,
    request: call.request,
    info: call.info,
    env: call.env,
  }

  const run = (
    bundle: LoadedBundle,
    handler: 'request' | 'response',
    extra: Record<string, unknown>,
  ): Step => {
    const report: InvocationReport = bundle.invoke({
      handler,
      ctx: { ...base, ...extra, stash },
      authType: call.authType,
    })
    stash = report.stash ?? stash
    appendedErrors.push(...report.appendedErrors)
    for (const line of report.logs) log({ resolver: bundle.name, ...line })
    const outcome = report.outcome
    switch (outcome.kind) {
      case 'return':
        return { done: false, value: outcome.value ?? null }
      case 'earlyReturn':
        return {
          done: false,
          value: outcome.value ?? null,
          skipTo:
            outcome.skipTo ??
            (handler === 'request' && bundle === resolver.bundle ? 'END' : 'NEXT'),
        }
      case 'error':
        return { done: true, result: { value: null, appendedErrors, error: outcome.error } }
      case 'unsupported':
        return {
          done: true,
          result: {
            value: null,
            appendedErrors,
            error: unsupportedError(`${bundle.name}.js: ${outcome.message}`),
          },
        }
      default:
        return {
          done: true,
          result: {
            value: null,
            appendedErrors,
            error: codeError(bundle.name, outcome.name, outcome.message),
          },
        }
    }
  }

  const start = run(resolver.bundle, 'request', {})
  if (start.done) return start.result
  let prev = start.value
  if (start.skipTo !== 'END') {
    for (const step of resolver.steps) {
      const request = run(step.bundle, 'request', { prev: { result: prev } })
      if (request.done) return request.result
      if (request.skipTo !== undefined) {
        prev = request.value
        if (request.skipTo === 'END') break
        continue
      }
      let outcome
      try {
        outcome = await step.dataSource.invoke(request.value)
      } catch (error) {
        if (error instanceof UnsupportedRequestError)
          return {
            value: null,
            appendedErrors,
            error: unsupportedError(`${step.name}: ${error.message}`),
          }
        if (!(error instanceof InvalidRequestError)) throw error
        return {
          value: null,
          appendedErrors,
          error: {
            message: error.message,
            errorType: 'MappingTemplate',
            data: null,
            errorInfo: null,
          },
        }
      }
      // Visible in the log even when the handler chooses not to raise it (the type only, never data).
      if (outcome.error)
        log({ resolver: step.name, level: 'DATA_SOURCE_ERROR', message: outcome.error.type })
      const response = run(step.bundle, 'response', {
        prev: { result: prev },
        result: outcome.result,
        ...(outcome.error ? { error: outcome.error } : {}),
      })
      if (response.done) return response.result
      prev = response.value
      if (response.skipTo === 'END') break
    }
  }
  const end = run(resolver.bundle, 'response', { prev: { result: prev }, result: prev })
  if (end.done) return end.result
  return { value: end.value, appendedErrors }
}

/** errorType of a refusal by the local runtime: something AppSync offers that it does not implement. */
const LOCAL_RUNTIME_UNSUPPORTED = 'LocalRuntimeUnsupported'

function unsupportedError(message: string): RaisedError {
  return { message, errorType: LOCAL_RUNTIME_UNSUPPORTED, data: null, errorInfo: null }
}

// What AppSync reports for an exception thrown by resolver code (errorType `Code`), minus the
// line and column: the message names the bundle, never a stack trace.
function codeError(bundle: string, name: string, message: string): RaisedError {
  return {
    message: `${bundle}.js: ${name}: ${message}`,
    errorType: 'Code',
    data: null,
    errorInfo: null,
  }
}
