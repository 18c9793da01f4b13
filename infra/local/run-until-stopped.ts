/**
 * The life of a long-running local command (`npm start`, `npm run dev`, `npm run example:two-step`):
 * start parts, run until told to stop, then stop every part and exit.
 *
 * Stopping: SIGINT or SIGTERM stops every part started so far (last first, waiting for starts in
 * flight) and exits 0, also when it arrives during a build or a start. The npm scripts `exec` the
 * command, so npm hands a signal it receives straight to us and exits only after we have stopped.
 * Should whoever started us go away without a word (npm killed with SIGKILL, a shell that does not
 * pass signals on), we stop as well: nobody would be left to stop us. An error while starting
 * prints one line (and a stack trace only for an error nobody expected), stops what started, and
 * exits 1.
 */
import { constants } from 'node:os'
import { createPartList, type PartList } from './processes.js'

/** Under npm one Ctrl-C arrives twice (from the terminal and forwarded by npm) within this time. */
const REPEATED_SIGNAL_MS = 1_000
/** How often we look whether the process that started us is still our parent. */
const PARENT_CHECK_MS = 500

/** Errors whose message says everything: a port in use, Java missing, a bad setting, no build. */
const expectedErrors = new Set([
  'PortInUseError',
  'InvalidPortError',
  'JavaMissingError',
  'InvalidSettingError',
  'DynamoDbLocalStartError',
  'MissingBuildError',
])

export interface LocalRun {
  /** Start each part through `parts.add(name, start, stop)`: a stop then stops it, last first. */
  readonly parts: PartList
  /** True once a stop was asked for: work that finishes afterwards should start nothing more. */
  readonly stopping: boolean
}

/**
 * Runs `main` as this process's one job (see the module comment). `what` names the job in the
 * messages of a failure: `'The local stack'` reads "The local stack could not run: ...".
 */
export function runUntilStopped(what: string, main: (run: LocalRun) => Promise<void>): void {
  const parts = createPartList()
  let stopping = false
  let stopRequestedAt = 0
  const run: LocalRun = {
    parts,
    get stopping() {
      return stopping
    },
  }

  async function shutdown(code: number): Promise<void> {
    if (stopping) return
    stopping = true
    stopRequestedAt = performance.now()
    try {
      await parts.stopAll()
    } catch (error) {
      console.error(`Stopping failed: ${errorMessage(error)}`)
      code = 1
    }
    process.exit(code)
  }

  /**
   * The first SIGINT or SIGTERM stops everything. Another one a moment later is someone insisting:
   * exit at once (the exit hook still kills the process groups of DynamoDB Local and SES). The
   * listeners stay: without one, a second signal would kill us before the exit hook could run.
   */
  function onStopSignal(signal: NodeJS.Signals): void {
    if (!stopping) return void shutdown(0)
    if (performance.now() - stopRequestedAt > REPEATED_SIGNAL_MS) {
      process.exit(128 + constants.signals[signal])
    }
  }

  function fail(error: unknown): void {
    // A part refused to start because a stop is under way: that is the stop, not a failure.
    if (stopping) return
    console.error(`\n${what} could not run: ${errorMessage(error)}`)
    if (!isExpected(error) && error instanceof Error && error.stack) console.error(error.stack)
    void shutdown(1)
  }

  process.on('SIGINT', onStopSignal)
  process.on('SIGTERM', onStopSignal)
  process.on('uncaughtException', fail)
  process.on('unhandledRejection', fail)
  stopWhenOrphaned(() => void shutdown(0))
  // The SDK's notice that its 2027 releases need Node 22 is not news to someone starting the stack.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  main(run).catch(fail)
}

/** Calls `stop` when our parent changes: it has gone, and we were handed to init. */
function stopWhenOrphaned(stop: () => void): void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    stop()
  }, PARENT_CHECK_MS)
  timer.unref()
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isExpected(error: unknown): boolean {
  return error instanceof Error && expectedErrors.has(error.name)
}
