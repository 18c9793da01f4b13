/** Pauses that end early when a loop is told to stop, so `stop()` never waits out a retry delay. */
export interface StopSwitch {
  readonly stopping: boolean
  /** Resolves true after `ms`, or false as soon as the switch is flipped (at once if it already was). */
  pause(ms: number): Promise<boolean>
  /** Flips the switch and ends every pending pause. */
  stop(): void
}

export function createStopSwitch(): StopSwitch {
  let stopping = false
  const sleepers = new Set<() => void>()
  return {
    get stopping() {
      return stopping
    },
    pause: (ms) =>
      new Promise<boolean>((resolve) => {
        if (stopping) return resolve(false)
        const wake = () => {
          clearTimeout(timer)
          sleepers.delete(wake)
          resolve(!stopping)
        }
        const timer = setTimeout(wake, ms)
        sleepers.add(wake)
      }),
    stop() {
      stopping = true
      for (const wake of [...sleepers]) wake()
    },
  }
}
