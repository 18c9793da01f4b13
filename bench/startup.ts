/**
 * Start-up: spawns `npm start` (build, then start) on free ports, times it until the ready line,
 * stops it with SIGTERM and checks that nothing it started is left running.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { findFreePort, isPortFree } from '../infra/local/ports.js'
import { repoRoot } from '../infra/api.js'

export interface StartupReport {
  /** Seconds from spawning `npm start` to its ready line: build plus start. */
  totalSeconds: number
  /** The `Ready in X s` figure: the start script alone (its process uptime), without the build. */
  startOnlySeconds: number
  /** `totalSeconds - startOnlySeconds`: the build and launching the start script. */
  buildSeconds: number
  /** Seconds from SIGTERM until the npm process exited. */
  stopSeconds: number
  /** Processes still alive (group members, DynamoDB Local) or ports still bound once it had exited. */
  leftBehind: string[]
}

const READY_LINE = /Ready in ([\d.]+) s/

/**
 * Runs `npm start` once. The child gets its own process group (so SIGTERM reaches npm, the shell,
 * tsx and the stack, as Ctrl-C does in a terminal); whatever survives is reported and then killed.
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
    await Promise.race([exited, sleep(30_000)])
    const stopSeconds = (performance.now() - stopping) / 1000
    const leftBehind = await leftovers(group, ports)
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
    for (const pid of javaPids(ports.DYNAMODB_PORT)) signalGroup(pid, 'SIGKILL')
  }
}

/** What is still there a few seconds after the exit: group members, DynamoDB Local, bound ports. */
async function leftovers(group: number, ports: Record<string, number>): Promise<string[]> {
  for (let attempt = 0; ; attempt += 1) {
    const found = [
      ...groupPids(group).map((pid) => `pid ${pid} (${commandOf(pid)}) of the npm process group`),
      ...javaPids(ports.DYNAMODB_PORT as number).map((pid) => `pid ${pid} (DynamoDB Local)`),
    ]
    for (const [variable, port] of Object.entries(ports)) {
      if (!(await isPortFree(port))) found.push(`port ${port} (${variable}) still bound`)
    }
    if (found.length === 0 || attempt >= 50) return found
    await sleep(100)
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Live (non-zombie) processes, with their /proc stat fields after the command name. */
function liveProcesses(): { pid: number; fields: string[] }[] {
  const found: { pid: number; fields: string[] }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] !== 'Z') found.push({ pid: Number(entry), fields })
    } catch {
      // Exited while we looked.
    }
  }
  return found
}

function groupPids(group: number): number[] {
  // After the command name: state, ppid, pgrp.
  return liveProcesses()
    .filter((p) => Number(p.fields[2]) === group)
    .map((p) => p.pid)
}

function argsOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return []
  }
}

function commandOf(pid: number): string {
  return argsOf(pid).join(' ').trim().slice(0, 80)
}

function javaPids(port: number): number[] {
  return liveProcesses()
    .map((p) => p.pid)
    .filter((pid) => {
      const args = argsOf(pid)
      const at = args.indexOf('-port')
      return (
        args.some((a) => a.endsWith('DynamoDBLocal.jar')) &&
        at >= 0 &&
        args[at + 1] === String(port)
      )
    })
}
