import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort, isPortFree } from '../../infra/local/ports.js'
import { dynamoDbLocalPids, groupPids, pidsWorkingIn } from '../support/processes.js'
import { copyRepo, type RepoCopy } from '../support/repo-copy.js'

/**
 * `npm start` and `npm run dev` stopped the way `timeout`, process managers, IDEs and CI runners
 * stop them: a signal to the npm process alone, not to its process group (which is what Ctrl-C in
 * a terminal reaches). They run in a copy of the repository, since `npm start` builds.
 */

/** How long the stack may take to stop completely: generous, this is no speed test. */
const STOP_BOUND_MS = 30_000

interface NpmRun {
  npm: ChildProcess
  ports: number[]
  dynamodbPort: number
  output(): string
  waitFor(pattern: RegExp): Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resolves once every process holding npm's stdout and stderr has exited. */
  closed: Promise<void>
}

let copy: RepoCopy
const runs: NpmRun[] = []

beforeAll(async () => {
  copy = await copyRepo()
}, 120_000)

afterAll(async () => {
  await copy?.remove()
})

afterEach(() => {
  // A failed test must not leave its stack running: npm's group, anything working in the copy
  // (orphans included), and DynamoDB Local, which runs in a process group of its own.
  for (const run of runs.splice(0)) {
    const pids = [
      ...groupPids(run.npm.pid as number),
      ...pidsWorkingIn(copy.dir),
      ...dynamoDbLocalPids(run.dynamodbPort),
    ]
    for (const pid of pids) kill(pid, 'SIGKILL')
  }
})

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

async function runNpm(args: string[], dev: boolean): Promise<NpmRun> {
  const [api, dynamodb, ses, web] = [
    await findFreePort(),
    await findFreePort(),
    await findFreePort(),
    await findFreePort(),
  ]
  const npm = spawn('npm', args, {
    cwd: copy.dir,
    env: {
      ...stackFreeEnvironment(),
      API_PORT: String(api),
      DYNAMODB_PORT: String(dynamodb),
      SES_PORT: String(ses),
      WEB_DEV_PORT: String(web),
    },
    // Its own process group, so that cleaning up after a failure reaches all of it; the signal
    // under test goes to the npm pid only.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const closed = new Promise<void>((resolve) => npm.once('close', () => resolve()))
  const run: NpmRun = {
    npm,
    ports: dev ? [api, dynamodb, ses, web] : [api, dynamodb, ses],
    dynamodbPort: dynamodb,
    output: () => output,
    exited,
    closed,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output)) return
          npm.stdout?.off('data', check)
          npm.stderr?.off('data', check)
          resolve()
        }
        npm.stdout?.on('data', check)
        npm.stderr?.on('data', check)
        check()
        void exited.then(() =>
          reject(new Error(`npm exited before printing ${pattern}:\n${output}`)),
        )
      }),
  }
  runs.push(run)
  return run
}

/** The test runner's environment without anything that would move the stack or change it. */
function stackFreeEnvironment(): Record<string, string | undefined> {
  const env = { ...process.env }
  for (const name of Object.keys(env)) {
    if (
      /^(PORT|API_PORT|DYNAMODB_PORT|SES_PORT|WEB_DEV_PORT|API_KEY|DYNAMODB_LOCAL_PATH|OTP_.*|LOCAL_IAM_.*|VITE_.*|LOCAL_API_ORIGIN|NODE_ENV)$/.test(
        name,
      )
    ) {
      delete env[name]
    }
  }
  return env
}

/** Everything of the run still alive or bound: processes (by group, directory, port) and ports. */
async function leftovers(run: NpmRun): Promise<string[]> {
  const pids = new Set([
    ...groupPids(run.npm.pid as number),
    ...pidsWorkingIn(copy.dir),
    ...dynamoDbLocalPids(run.dynamodbPort),
  ])
  const found = [...pids].map((pid) => `pid ${pid}: ${commandOf(pid)}`)
  for (const port of run.ports) {
    if (!(await isPortFree(port))) found.push(`port ${port} still bound`)
  }
  return found
}

/** Waits until nothing of the run is left, or the bound has passed; returns what is left. */
async function leftoversAfterStop(run: NpmRun): Promise<string[]> {
  const deadline = Date.now() + STOP_BOUND_MS
  for (;;) {
    const found = await leftovers(run)
    if (found.length === 0 || Date.now() > deadline) return found
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 120)
  } catch {
    return '(exited)'
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  return Promise.race([
    promise,
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms)),
  ])
}

describe('npm start and npm run dev, stopped by a signal to npm alone', () => {
  it.each([
    ['npm start', 'SIGTERM', ['start'], false],
    ['npm start', 'SIGINT', ['start'], false],
    ['npm run dev', 'SIGTERM', ['run', 'dev'], true],
    ['npm run dev', 'SIGINT', ['run', 'dev'], true],
  ] as const)(
    '%s stops the API, DynamoDB Local, SES and every process of its own on %s, leaving no port bound',
    async (_name, signal, args, dev) => {
      // Prepare
      const run = await runNpm([...args], dev)
      await run.waitFor(/Ready in \d+\.\d s/)
      const [javaPid] = dynamoDbLocalPids(run.dynamodbPort)
      expect(javaPid).toBeDefined()
      for (const port of run.ports) expect(await isPortFree(port)).toBe(false)

      // Act
      process.kill(run.npm.pid as number, signal)

      // Assess
      expect(await leftoversAfterStop(run)).toEqual([])
      expect(await within(run.exited, STOP_BOUND_MS)).toEqual({ code: 0, signal: null })
    },
    240_000,
  )

  it('npm start stops everything and exits 0 on Ctrl-C in a terminal, which signals npm and node alike', async () => {
    // Prepare
    const run = await runNpm(['start'], false)
    await run.waitFor(/Ready in \d+\.\d s/)

    // Act: the terminal sends SIGINT to the foreground process group; npm passes it on as well,
    // so node receives it twice.
    process.kill(-(run.npm.pid as number), 'SIGINT')

    // Assess: a stop, not the exit at once that a second Ctrl-C a moment later asks for.
    expect(await leftoversAfterStop(run)).toEqual([])
    expect(await within(run.exited, STOP_BOUND_MS)).toEqual({ code: 0, signal: null })
  }, 240_000)

  it('npm run dev stops everything when npm is killed outright (SIGKILL), which it cannot pass on', async () => {
    // Prepare
    const run = await runNpm(['run', 'dev'], true)
    await run.waitFor(/Ready in \d+\.\d s/)

    // Act
    process.kill(run.npm.pid as number, 'SIGKILL')

    // Assess
    expect(await leftoversAfterStop(run)).toEqual([])
  }, 240_000)

  it('npm start stops its build when npm alone gets SIGTERM during it, and leaves nothing behind', async () => {
    // Prepare
    const run = await runNpm(['start'], false)
    await run.waitFor(/building .*for production/)
    const outputBeforeSignal = run.output().length

    // Act
    process.kill(run.npm.pid as number, 'SIGTERM')

    // Assess
    expect(await leftoversAfterStop(run)).toEqual([])
    expect(await within(run.closed, STOP_BOUND_MS)).not.toBe('timed out')
    // A build left running after npm had gone would go on to finish and say so.
    expect(run.output().slice(outputBeforeSignal)).not.toMatch(/built in/)
    expect(run.output()).not.toMatch(/Ready in/)
    expect(await within(run.exited, STOP_BOUND_MS)).toEqual({ code: 0, signal: null })
  }, 240_000)
})
