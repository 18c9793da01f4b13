/**
 * Start-up: spawns `npm start` (build, then start) on free ports, times it until the ready line,
 * stops it with SIGTERM and checks that nothing it started is left running.
 */
import { spawn } from 'node:child_process'
import { findFreePort, isPortFree } from '../infra/local/ports.js'
import { repoRoot } from '../infra/api.js'
import { argsOf, dynamoDbLocalPids, groupPids } from './processes.js'

export interface StartupReport {
  /** Seconds from spawning `npm start` to its ready line: build plus start. */
  totalSeconds: number
  /** The `Ready in X s` figure: the start script alone (its process uptime), without the build. */
  startOnlySeconds: number
  /** `totalSeconds - startOnlySeconds`: the build and launching the start script. */
  buildSeconds: number
  /** Seconds from SIGTERM until every process it started had exited and every port was free again. */
  stopSeconds: number
  /** What was still alive (group members, DynamoDB Local) or bound 15 s after SIGTERM. */
  leftBehind: string[]
}

const READY_LINE = /Ready in ([\d.]+) s/

/**
 * Runs `npm start` once. The child gets its own process group (so SIGTERM reaches npm, node and
 * the stack, as Ctrl-C does in a terminal; the script execs node, so no shell sits between); whatever survives is reported and then killed.
 * @throws Error when it exits or stays silent before the ready line (with its output tail).
 */
export async function measureStartup(timeoutMs = 300_000): Promise<StartupReport> {
  const ports = {
    API_PORT: await findFreePort(),
    DYNAMODB_PORT: await findFreePort(),
    SES_PORT: await findFreePort(),
  }
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  }
  const started = performance.now()
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const group = child.pid as number
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  try {
    const startOnlySeconds = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `npm start printed no ready line in ${timeoutMs / 1000} s:\n${output.slice(-2000)}`,
            ),
          ),
        timeoutMs,
      )
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-20_000)
        const ready = READY_LINE.exec(output)
        if (ready) {
          clearTimeout(timer)
          resolve(Number(ready[1]))
        }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      void exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`npm start exited before it was ready:\n${output.slice(-2000)}`))
      })
    })
    const totalSeconds = (performance.now() - started) / 1000
    const stopping = performance.now()
    signalGroup(group, 'SIGTERM')
    await exited
    const leftBehind = await leftovers(group, ports, 15_000)
    const stopSeconds = (performance.now() - stopping) / 1000
    return {
      totalSeconds,
      startOnlySeconds,
      buildSeconds: totalSeconds - startOnlySeconds,
      stopSeconds,
      leftBehind,
    }
  } finally {
    // Ours to clean up whatever happened: the group, and DynamoDB Local (it runs in a group of its own).
    signalGroup(group, 'SIGKILL')
    for (const pid of dynamoDbLocalPids(ports.DYNAMODB_PORT)) signalGroup(pid, 'SIGKILL')
  }
}

/** What is still there once `withinMs` have passed (or nothing, as soon as all is gone): group members, DynamoDB Local, bound ports. */
async function leftovers(
  group: number,
  ports: Record<string, number>,
  withinMs: number,
): Promise<string[]> {
  const deadline = performance.now() + withinMs
  for (;;) {
    const found = [
      ...groupPids(group).map((pid) => `pid ${pid} (${commandOf(pid)}) of the npm process group`),
      ...dynamoDbLocalPids(ports.DYNAMODB_PORT as number).map(
        (pid) => `pid ${pid} (DynamoDB Local)`,
      ),
    ]
    for (const [variable, port] of Object.entries(ports)) {
      if (!(await isPortFree(port))) found.push(`port ${port} (${variable}) still bound`)
    }
    if (found.length === 0 || performance.now() > deadline) return found
    await sleep(50)
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

function commandOf(pid: number): string {
  return argsOf(pid).join(' ').trim().slice(0, 80)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
