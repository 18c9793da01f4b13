/**
 * The host side of the sandbox boundary: the capabilities resolver code may use through the
 * runtime library (randomness and the clock), taking and returning primitives only.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { HostBridge } from './runtime-lib/host.js'

/** The one bridge every sandbox shares. */
export const hostBridge: HostBridge = {
  randomUuid: () => randomUUID(),
  randomHex: (count) =>
    randomBytes(Math.min(Math.max(0, Math.trunc(Number(count)) || 0), 1024)).toString('hex'),
  nowMs: () => Date.now(),
}
