import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import { findFreePort, isPortFree } from '../../infra/local/ports.js'
import { dynamoDbLocalPids, isAlive } from '../support/processes.js'

/**
 * `node --import tsx infra/local/start.ts` as `npm start` runs it, without `--build` (no tsx CLI in between, whose
 * signal relay gives a busy process 30 ms before it kills it), in its own process group so a
 * failed test can end it.
 */
interface StartProcess {
  child: ChildProcess
  output(): string
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const running: ChildProcess[] = []
const dynamodbPorts: number[] = []

function runStart(env: Record<string, string | undefined>, args: string[] = []): StartProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], {
    cwd: repoRoot,
    env: { ...cleanEnvironment(), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.push(child)
  if (env.DYNAMODB_PORT && env.DYNAMODB_PORT !== '0') dynamodbPorts.push(Number(env.DYNAMODB_PORT))
  let output = ''
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = []
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8')
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern)
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    }
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const match = output.match(pattern)
        if (match) return resolve(match)
        waiters.push({ pattern, resolve })
        void exited.then(() => reject(new Error(`exited before printing ${pattern}:\n${output}`)))
      }),
  }
}

/** The test runner's environment without anything that would move the stack or change its settings. */
function cleanEnvironment(): Record<string, string | undefined> {
  const env = { ...process.env }
  for (const name of Object.keys(env)) {
    if (
      /^(PORT|API_PORT|DYNAMODB_PORT|SES_PORT|WEB_DEV_PORT|API_KEY|DYNAMODB_LOCAL_PATH|OTP_.*|LOCAL_IAM_.*|VITE_.*|LOCAL_API_ORIGIN)$/.test(
        name,
      )
    ) {
      delete env[name]
    }
  }
  return env
}

afterEach(() => {
  // A test that failed half-way must not leave its stack running.
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
  // DynamoDB Local runs in a process group of its own: a start killed outright leaves it behind.
  for (const port of dynamodbPorts.splice(0)) {
    for (const pid of dynamoDbLocalPids(port)) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
})

describe('npm start (infra/local/start.ts)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints every URL, the key and the ready time, then stops everything on %s and exits 0',
    async (signal) => {
      // Prepare
      const [api, dynamodb, ses] = [
        await findFreePort(),
        await findFreePort(),
        await findFreePort(),
      ]
      const start = runStart({
        API_PORT: String(api),
        DYNAMODB_PORT: String(dynamodb),
        SES_PORT: String(ses),
      })
      await start.waitFor(/Ready in \d+\.\d s/)
      const output = start.output()
      expect(output).toContain(`http://localhost:${api}/graphql`)
      expect(output).toContain(`ws://localhost:${api}/graphql/realtime`)
      expect(output).toContain(`http://localhost:${dynamodb}`)
      expect(output).toContain(`http://localhost:${ses}/store`)
      expect(output).toContain('da2-local-development-key')
      expect(output).toContain('ASIALOCALDEVELOPMENT')
      const policy = await fetch(`http://localhost:${api}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'da2-local-development-key' },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      })
      expect(await policy.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } })
      const [javaPid] = dynamoDbLocalPids(dynamodb)
      expect(javaPid).toBeDefined()
      // Act
      start.child.kill(signal)
      const exit = await start.exited
      // Assess
      expect(exit).toEqual({ code: 0, signal: null })
      expect(isAlive(javaPid as number)).toBe(false)
      expect(dynamoDbLocalPids(dynamodb)).toEqual([])
      expect(await isPortFree(api)).toBe(true)
      expect(await isPortFree(dynamodb)).toBe(true)
      expect(await isPortFree(ses)).toBe(true)
    },
  )

  it('with --dev (npm run dev) also serves the web app with hot reload, wired to the stack', async () => {
    // Prepare
    const [api, dynamodb, web] = [await findFreePort(), await findFreePort(), await findFreePort()]
    const start = runStart(
      {
        API_PORT: String(api),
        DYNAMODB_PORT: String(dynamodb),
        SES_PORT: '0',
        WEB_DEV_PORT: String(web),
        API_KEY: 'da2-dev-test-key',
      },
      ['--dev'],
    )
    await start.waitFor(/Ready in \d+\.\d s/)
    expect(start.output()).toContain(`http://localhost:${web}/  (hot reload)`)

    // Act
    const page = await (await fetch(`http://localhost:${web}/`)).text()
    const client = await (await fetch(`http://localhost:${web}/@vite/client`)).text()
    const proxied = await fetch(`http://localhost:${web}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'da2-dev-test-key' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    })
    const env = await (await fetch(`http://localhost:${web}/src/main.ts`)).text()

    // Assess
    expect(page).toContain('<div id="app">')
    expect(client).toContain('hot')
    expect(await proxied.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } })
    expect(env).toContain('da2-dev-test-key')
    start.child.kill('SIGTERM')
    expect(await start.exited).toEqual({ code: 0, signal: null })
    expect(await isPortFree(web)).toBe(true)
    expect(await isPortFree(api)).toBe(true)
    expect(dynamoDbLocalPids(dynamodb)).toEqual([])
  })

  describe('when DYNAMODB_PORT is taken', () => {
    let blocker: Server
    let port: number
    beforeAll(async () => {
      port = await findFreePort()
      blocker = createServer()
      await new Promise<void>((resolve) => blocker.listen(port, resolve))
    })
    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())))

    it('exits 1 and names the variable to change', async () => {
      const api = await findFreePort()
      const start = runStart({ API_PORT: String(api), DYNAMODB_PORT: String(port), SES_PORT: '0' })
      const exit = await start.exited
      expect(exit.code).toBe(1)
      expect(start.output()).toContain(`port ${port} (DynamoDB Local) is in use`)
      expect(start.output()).toContain('set DYNAMODB_PORT')
      expect(start.output()).not.toMatch(/\n\s+at /)
      expect(await isPortFree(api)).toBe(true)
    })
  })

  it('exits 1 and says how to install Java when java is not on PATH', async () => {
    const dynamodb = await findFreePort()
    const start = runStart({
      PATH: '/nonexistent',
      API_PORT: '0',
      DYNAMODB_PORT: String(dynamodb),
      SES_PORT: '0',
    })
    const exit = await start.exited
    expect(exit.code).toBe(1)
    expect(start.output()).toContain('DynamoDB Local needs Java 17+')
    expect(start.output()).toContain('apt-get install -y openjdk-17-jre-headless')
    expect(start.output()).not.toMatch(/\n\s+at /)
  })
})
