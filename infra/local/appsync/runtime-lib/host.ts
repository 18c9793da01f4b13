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
  /** UTF-8 text to base64. */
  base64Encode(text: string): string
  /** Base64 to UTF-8 text. */
  base64Decode(text: string): string
  /** Offset of `zone` (an IANA name) from UTC at `epochMs`, in minutes; NaN for an unknown zone. */
  zoneOffsetMinutes(zone: string, epochMs: number): number
}

/** What the runtime library hands back to the host after installing itself in a context. */
export interface SandboxRuntime {
  /** The `require` the bundle's CommonJS wrapper receives: serves the two AppSync modules only. */
  require(id: string): unknown
  /** Runs one handler; takes and returns JSON text (see {@link InvocationRequest}, {@link InvocationReport}). */
  invoke(moduleExports: unknown, requestJson: string): string
  /** Replaces what APPSYNC_JS lacks with functions that explain so. Call after the bundle has loaded. */
  lockDown(): void
}

/** The halting and non-halting outcomes of a handler. */
export type HandlerOutcome =
  | { kind: 'return'; value?: unknown }
  | { kind: 'earlyReturn'; value?: unknown; skipTo: 'END' | 'NEXT' | undefined }
  | { kind: 'error'; error: RaisedError }
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
