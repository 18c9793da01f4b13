/**
 * Checks for tests that prove nothing is left behind: which DynamoDB Local processes listen on a
 * port, and whether a pid is still alive. Reads /proc (Linux), the only platform CI runs on.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Pids of running DynamoDB Local Java processes started with `-port <port>`. */
export function dynamoDbLocalPids(port: number): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let args: string[]
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
    } catch {
      continue // exited while we looked
    }
    const portIndex = args.indexOf('-port')
    const isDynamoDbLocal = args.some((arg) => arg.endsWith('DynamoDBLocal.jar'))
    if (isDynamoDbLocal && portIndex >= 0 && args[portIndex + 1] === String(port))
      pids.push(Number(entry))
  }
  return pids
}

/** True while a process with this pid exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 3, after the parenthesised command name, is the state; Z is a zombie.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
