import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import { findFreePort, isPortFree } from '../../infra/local/ports.js'
import { dynamoDbLocalPids } from '../support/processes.js'

/**
 * `npm run example:two-step` as the npm script runs it, without `--build` (the page is built here
 * once), in its own process group so that a failed test can end it.
 */
const webRoot = join(repoRoot, 'examples/two-step/web')
const running: { child: ChildProcess; dynamodbPort: number }[] = []

afterEach(() => {
  // A test that failed half-way must not leave the example or its DynamoDB Local running.
  for (const { child, dynamodbPort } of running.splice(0)) {
    for (const pid of [child.pid, ...dynamoDbLocalPids(dynamodbPort)]) {
      try {
        if (pid) process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
})

describe('npm run example:two-step (examples/two-step/start.ts)', () => {
  beforeAll(async () => {
    if (!existsSync(join(webRoot, 'dist/index.html'))) {
      await build({ configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn' })
    }
  })

  it('prints its URL and the demo user, who can pass the password step, then stops everything on SIGTERM', async () => {
    // Prepare
    const [example, api, dynamodb, ses] = [
      await findFreePort(),
      await findFreePort(),
      await findFreePort(),
      await findFreePort(),
    ]
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/two-step/start.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        EXAMPLE_PORT: String(example),
        API_PORT: String(api),
        DYNAMODB_PORT: String(dynamodb),
        SES_PORT: String(ses),
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    running.push({ child, dynamodbPort: dynamodb })
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    )
    await expect.poll(() => output, { timeout: 90_000, interval: 200 }).toMatch(/Ready in/)
    const url = `http://localhost:${example}/`

    // Act
    const page = await fetch(url)
    const signIn = await fetch(new URL('/api/password', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery staple' }),
    })
    child.kill('SIGTERM')

    // Assess
    expect(output).toContain(`Sign in at       ${url}`)
    expect(output).toContain('ada@example.com  password: correct horse battery staple')
    expect(output).toContain(`http://localhost:${ses}`)
    expect(await page.text()).toContain('<div id="app">')
    expect(signIn.status).toBe(200)
    expect(await signIn.json()).toMatchObject({ email: 'ada@example.com' })
    expect(await exited).toEqual({ code: 0, signal: null })
    expect(dynamoDbLocalPids(dynamodb)).toEqual([])
    for (const port of [example, api, dynamodb, ses]) expect(await isPortFree(port)).toBe(true)
  }, 120_000)
})
