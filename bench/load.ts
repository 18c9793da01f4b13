/** A closed-loop load runner: `concurrency` workers each run one flow after another until time is up. */

export interface LoadResult {
  concurrency: number
  /** Flows that completed as expected. */
  flows: number
  /** Flows that threw; they do not count towards throughput. */
  errors: number
  seconds: number
  flowsPerSecond: number
  /** The first error's message, to explain a non-zero `errors`. */
  firstError?: string
}

/** One flow; `worker` and `iteration` make unique inputs without shared state. */
export type Flow = (worker: number, iteration: number) => Promise<void>

/**
 * Runs `flow` on `concurrency` workers for `seconds`. A flow started before the deadline is
 * allowed to finish, and the elapsed time is measured to the last finish, so a slow flow
 * lowers the rate rather than vanishing from it.
 */
export async function runClosedLoop(
  concurrency: number,
  seconds: number,
  flow: Flow,
): Promise<LoadResult> {
  const started = performance.now()
  const deadline = started + seconds * 1000
  let flows = 0
  let errors = 0
  let firstError: string | undefined
  const worker = async (index: number) => {
    for (let iteration = 0; performance.now() < deadline; iteration += 1) {
      try {
        await flow(index, iteration)
        flows += 1
      } catch (error) {
        errors += 1
        firstError ??= error instanceof Error ? error.message : String(error)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)))
  const elapsed = (performance.now() - started) / 1000
  return {
    concurrency,
    flows,
    errors,
    seconds: elapsed,
    flowsPerSecond: flows / elapsed,
    ...(firstError === undefined ? {} : { firstError }),
  }
}
