/**
 * Ports for the local stack: the documented defaults (docs/local-stack.md), overrides from the environment,
 * free-port discovery for tests, and a clear error when a fixed port is taken.
 */
import { createServer } from 'node:net'

/** A part of the local stack that listens on a port, with its default and override variable. */
export interface PortSpec {
  /** Shown in messages, e.g. `DynamoDB Local`. */
  label: string
  /** Environment variables that override the default, first match wins. */
  variables: readonly string[]
  default: number
}

export const portSpecs = {
  api: { label: 'GraphQL API', variables: ['API_PORT', 'PORT'], default: 4000 },
  dynamodb: { label: 'DynamoDB Local', variables: ['DYNAMODB_PORT'], default: 8000 },
  ses: { label: 'local SES', variables: ['SES_PORT'], default: 8005 },
} as const satisfies Record<string, PortSpec>

export type PortName = keyof typeof portSpecs

/** Thrown when a port the stack must use is already bound; the message names the variable to change. */
export class PortInUseError extends Error {
  override name = 'PortInUseError'
  constructor(readonly port: number, readonly spec: PortSpec) {
    super(
      `port ${port} (${spec.label}) is in use: stop what holds it or set ${spec.variables[0]} to another port (0 picks a free one)`,
    )
  }
}

/** Thrown when a port variable is not an integer from 0 to 65535. */
export class InvalidPortError extends Error {
  override name = 'InvalidPortError'
}

/**
 * The port a part should use: the explicit option if given, else the first set variable, else
 * the default. `0` means "any free port" and is passed through unchanged.
 * @throws InvalidPortError when the variable is not a port number.
 */
export function choosePort(
  spec: PortSpec,
  explicit: number | undefined,
  env: Record<string, string | undefined> = process.env,
): number {
  if (explicit !== undefined) return checkPort(explicit, 'option')
  for (const variable of spec.variables) {
    const raw = env[variable]
    if (raw !== undefined && raw.trim() !== '') return checkPort(Number(raw), variable, raw)
  }
  return spec.default
}

function checkPort(port: number, source: string, raw: string = String(port)): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidPortError(`${source} must be a port number from 0 to 65535, got ${raw}`)
  }
  return port
}

/** Resolves once `port` could be bound on every interface (and is released again), false if it is taken. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false)
      else reject(error)
    })
    // No host: binds the IPv6 wildcard in dual-stack mode, so a listener on any address conflicts.
    probe.listen({ port, exclusive: true }, () => probe.close(() => resolve(true)))
  })
}

/** A port that was free a moment ago (the kernel picks it). Another process may still take it first. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen({ port: 0, exclusive: true }, () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => (port ? resolve(port) : reject(new Error('could not read the free port'))))
    })
  })
}

/**
 * Turns a requested port into one to bind: `0` becomes a free port, any other port must be free.
 * @throws PortInUseError naming the variable that moves the part elsewhere.
 */
export async function claimPort(spec: PortSpec, port: number): Promise<number> {
  if (port === 0) return findFreePort()
  if (!(await isPortFree(port))) throw new PortInUseError(port, spec)
  return port
}
