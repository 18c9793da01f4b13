import { appendFile, mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

/** Where the local stack keeps what AWS would put in the dead-letter queue. */
export const DEFAULT_DEAD_LETTER_FILE = '.local/dead-letters.jsonl'

/**
 * A local dead-letter destination: appends each message as one JSON line to `file` (directory
 * created on first use). Serves both the email handler's undeliverable-mail records and the stream
 * consumer's on-failure records; they are told apart by `type` versus `DDBStreamBatchInfo`.
 */
export function jsonLinesSink(
  file: string = DEFAULT_DEAD_LETTER_FILE,
): (message: object) => Promise<void> {
  const path = resolve(file)
  let ready: Promise<unknown> | undefined
  return async (message) => {
    ready ??= mkdir(dirname(path), { recursive: true })
    await ready
    await appendFile(path, `${JSON.stringify(message)}\n`, 'utf8')
  }
}
