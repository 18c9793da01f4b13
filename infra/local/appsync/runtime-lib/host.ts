/**
 * The contract between the sandbox host (Node) and the APPSYNC_JS runtime library that runs
 * inside the `node:vm` context. Only primitives cross it: a host object or function reachable
 * from resolver code would hand out the host's `Function` constructor and with it `process`.
 */

/** Capabilities only the host has. Every argument and result is a string or a number. */
export interface HostBridge {
  /** A random v4 UUID from a cryptographically secure source. */
  randomUuid(): string
  /** `count` cryptographically random bytes as lower-case hex. */
  randomHex(count: number): string
  /** Epoch milliseconds. */
  nowMs(): number
}

/** What the runtime library hands back to the host after installing itself in a context. */
export interface SandboxRuntime {
  /** The `require` the bundle's CommonJS wrapper receives: serves `@aws-appsync/utils` only. */
  require(id: string): unknown
  /** Runs one handler; takes and returns JSON text (see {@link InvocationRequest}, {@link InvocationReport}). */
  invoke(moduleExports: unknown, requestJson: string): string
  /** Replaces what APPSYNC_JS lacks (or the local runtime refuses) with functions that say so. Call after the bundle has loaded. */
  lockDown(): void
}

/** The halting and non-halting outcomes of a handler. */
export type HandlerOutcome =
  | { kind: 'return'; value?: unknown }
  | { kind: 'earlyReturn'; value?: unknown; skipTo: 'END' | 'NEXT' | undefined }
  | { kind: 'error'; error: RaisedError }
  | { kind: 'unsupported'; message: string }
  | { kind: 'exception'; name: string; message: string }

/** An error raised by `util.error`, `util.appendError` or `util.unauthorized`. */
export interface RaisedError {
  message: string
  errorType: string | null
  data: unknown
  errorInfo: unknown
}

/** What the host asks the runtime to run. */
export interface InvocationRequest {
  handler: 'request' | 'response'
  ctx: Record<string, unknown>
  /** For `util.authType()`. */
  authType: string
}

/** What the runtime reports after a handler ran. */
export interface InvocationReport {
  outcome: HandlerOutcome
  /** `ctx.stash` after the handler, shared with the next handler. */
  stash: Record<string, unknown>
  /** Errors from `util.appendError`, in call order. */
  appendedErrors: RaisedError[]
  /** `console.log`/`console.error` lines, as AppSync routes them to CloudWatch. */
  logs: { level: 'INFO' | 'ERROR' | 'WARN' | 'DEBUG'; message: string }[]
}
