/**
 * Child processes the local stack owns. Each runs in its own process group (spawned with
 * `detached: true`) so that stopping it reaches every descendant, and Ctrl-C in a terminal
 * reaches only our Node process, which then stops the children in order.
 */
import type { ChildProcess } from 'node:child_process'

const OUTPUT_TAIL_CHARS = 8_000

/** How a child ended. */
export interface ProcessExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** Set when the process could not be started at all (e.g. ENOENT: command not on PATH). */
  spawnError?: NodeJS.ErrnoException
}

export interface ManagedProcess {
  readonly pid: number | undefined
  /** Resolves when the child has exited (or failed to start). Never rejects. */
  readonly exited: Promise<ProcessExit>
  /** True until the child exits. */
  running(): boolean
  /** The last few thousand characters of stdout and stderr, for error messages. */
  outputTail(): string
  /** Terminates the process group: SIGTERM, then SIGKILL after `graceMs`; resolves after exit. Idempotent. */
  stop(graceMs?: number): Promise<void>
}

// Process groups still alive, killed synchronously if our process exits without stopping them
// (an uncaught error, process.exit). A SIGKILL of Node itself cannot be caught: nothing can help there.
const liveGroups = new Set<number>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const pid of liveGroups) signalGroup(pid, 'SIGKILL')
  })
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

/**
 * Takes ownership of a child spawned with `detached: true` and piped stdout/stderr: drains its
 * output (an unread pipe would block the child), remembers the tail, and stops its whole group.
 */
export function manageProcess(child: ChildProcess): ManagedProcess {
  let tail = ''
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)

  let alive = child.pid !== undefined
  const pid = child.pid
  if (pid !== undefined) {
    installExitHook()
    liveGroups.add(pid)
  }
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: error })
    })
    child.once('exit', (code, signal) => {
      alive = false
      if (pid !== undefined) {
        // The leader is gone: end any descendant left in its group, and forget the group so that
        // a later reuse of the pid is never signalled.
        signalGroup(pid, 'SIGKILL')
        liveGroups.delete(pid)
      }
      resolve({ code, signal })
    })
  })

  let stopping: Promise<void> | undefined
  const stop = (graceMs = 5_000): Promise<void> => {
    stopping ??= (async () => {
      if (pid === undefined || !alive) return
      signalGroup(pid, 'SIGTERM')
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    })()
    return stopping
  }

  return { pid, exited, running: () => alive, outputTail: () => tail, stop }
}

/** Parts of the local stack that have started, stopped in reverse order. */
export interface PartList {
  /**
   * Starts one part and remembers how to stop it. Parts may start concurrently
   * (`Promise.all([parts.add(...), parts.add(...)])`): `stopAll` waits for every start in flight.
   */
  add<T>(name: string, start: () => Promise<T>, stop: (part: T) => Promise<void>): Promise<T>
  /**
   * Waits for starts in flight, then stops every started part, last first, even when one of them
   * fails to stop. Idempotent.
   * @throws AggregateError naming the parts that failed to stop.
   */
  stopAll(): Promise<void>
}

/** A list of started parts: `await parts.add('SES', () => startLocalSes(...), (s) => s.stop())`. */
export function createPartList(): PartList {
  const started: { name: string; stop: () => Promise<void> }[] = []
  const inFlight = new Set<Promise<unknown>>()
  let stopping: Promise<void> | undefined

  async function stopStarted(): Promise<void> {
    await Promise.allSettled([...inFlight])
    const failures: Error[] = []
    for (const part of [...started].reverse()) {
      try {
        await part.stop()
      } catch (error) {
        failures.push(
          new Error(`${part.name} did not stop cleanly: ${String(error)}`, { cause: error }),
        )
      }
    }
    if (failures.length > 0)
      throw new AggregateError(failures, failures.map((f) => f.message).join('; '))
  }

  return {
    add(name, start, stop) {
      if (stopping) return Promise.reject(new Error(`cannot start ${name}: the stack is stopping`))
      // The part is recorded inside the tracked promise, so stopAll never misses one that started.
      const task = start().then((part) => {
        started.push({ name, stop: () => stop(part) })
        return part
      })
      inFlight.add(task)
      const forget = () => inFlight.delete(task)
      task.then(forget, forget)
      return task
    },
    stopAll() {
      stopping ??= stopStarted()
      return stopping
    },
  }
}
