/**
 * Keeps host errors out of the sandbox. Runs inside the sandbox: plain ECMAScript only.
 */
import type { HostBridge } from './host.js'

/**
 * The bridge with each call's failure re-raised as an error of this realm: an error thrown by a
 * host function (a stack overflow inside `randomUUID`, say) is a host object, and its
 * `constructor.constructor` is the host's `Function`.
 */
export function guardBridge(bridge: HostBridge): HostBridge {
  const guarded: Record<string, unknown> = {}
  for (const [name, call] of Object.entries(bridge) as [string, (...args: unknown[]) => unknown][])
    guarded[name] = (...args: unknown[]) => {
      try {
        return call(...args)
      } catch (error) {
        const { name: type, message } = error as { name?: unknown; message?: unknown }
        const Type = type === 'RangeError' ? RangeError : type === 'TypeError' ? TypeError : Error
        throw new Type(String(message))
      }
    }
  return Object.freeze(guarded) as unknown as HostBridge
}
