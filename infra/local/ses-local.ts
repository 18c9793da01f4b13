/**
 * Local SES: `aws-ses-v2-local` (SES v1 and v2 `SendEmail`, an inbox page at `/`, the mail as JSON
 * at `GET /store`). It runs as a child process because the package keeps its mailbox in a
 * module-level variable: in-process, every stack in one Node process would share one inbox.
 * The child exits by itself when its stdin closes, so it cannot outlive a crashed parent.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { manageProcess } from './processes.js'
import { claimPort, portSpecs } from './ports.js'

export interface SesLocalOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number
  /** Interface to bind. Default 127.0.0.1: the inbox shows every code, keep it off the network. */
  host?: string
  /** How long to wait for the health check. Default 15 s. */
  startTimeoutMs?: number
}

export interface SesLocal {
  /** Base URL: the SES endpoint for the SDK, the inbox page at `/`, the mail at `/store`. */
  url: string
  port: number
  /** Stops the server; resolves once its process has exited. Idempotent. */
  stop(): Promise<void>
}

/** One email as `GET /store` lists it (`{ templates, emails: StoredEmail[] }`). */
export interface StoredEmail {
  messageId: string
  from: string
  replyTo: string[]
  destination: { to: string[]; cc: string[]; bcc: string[] }
  subject: string
  body: { html?: string; text?: string }
  attachments: unknown[]
  /** Epoch seconds. */
  at: number
}

/** Thrown when the server exits or does not answer its health check in time. */
export class SesLocalStartError extends Error {
  override name = 'SesLocalStartError'
}

// Runs in the child: start the server on the given port, report the bound port, and exit when the
// parent's end of stdin closes.
const CHILD_SOURCE = `
const server = require(process.argv[1]).default
server({ host: process.argv[2], port: Number(process.argv[3]) }).then((s) => {
  process.stdout.write('listening ' + s.address().port + '\\n')
})
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
`

/**
 * Starts local SES and resolves once `GET /health-check` answers.
 * @throws PortInUseError when a fixed port is taken (names `SES_PORT`).
 * @throws SesLocalStartError when the server exits or stays silent.
 */
export async function startSesLocal(options: SesLocalOptions): Promise<SesLocal> {
  const host = options.host ?? '127.0.0.1'
  const requested = options.port === 0 ? 0 : await claimPort(portSpecs.ses, options.port)
  const modulePath = createRequire(import.meta.url).resolve('aws-ses-v2-local')
  const child = spawn(process.execPath, ['-e', CHILD_SOURCE, modulePath, host, String(requested)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const server = manageProcess(child)
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new SesLocalStartError(`local SES did not start. Its output:\n${server.outputTail()}`),
          ),
        options.startTimeoutMs ?? 15_000,
      )
      child.stdout?.on('data', () => {
        const match = /listening (\d+)/.exec(server.outputTail())
        if (match) {
          clearTimeout(timer)
          resolve(Number(match[1]))
        }
      })
      void server.exited.then(() => {
        clearTimeout(timer)
        reject(
          new SesLocalStartError(
            `local SES exited during start-up. Its output:\n${server.outputTail()}`,
          ),
        )
      })
    })
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    const health = await fetch(`${url}/health-check`)
    if (!health.ok) throw new SesLocalStartError(`local SES health check answered ${health.status}`)
    return { url, port, stop: () => server.stop(2_000) }
  } catch (error) {
    await server.stop(1_000)
    throw error
  }
}

/** The mail local SES holds, oldest first. */
export async function readInbox(url: string): Promise<StoredEmail[]> {
  const response = await fetch(`${url}/store`)
  if (!response.ok) throw new Error(`GET /store answered ${response.status}`)
  return ((await response.json()) as { emails: StoredEmail[] }).emails
}
