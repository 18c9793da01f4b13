/**
 * Checks for tests that prove nothing is left behind: which DynamoDB Local processes listen on a
 * port, whether a pid is still alive, who is in a process group or works in a directory. Reads /proc (Linux), the only platform CI runs on.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

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

/** Live members of process group `group`. */
export function groupPids(group: number): number[] {
  // After the parenthesised command name in /proc/<pid>/stat: state, ppid, pgrp.
  return liveProcesses()
    .filter((p) => Number(p.stat.split(' ')[2]) === group)
    .map((p) => p.pid)
}

/** Live processes whose working directory is `dir` or below it, wherever their parent went. */
export function pidsWorkingIn(dir: string): number[] {
  return liveProcesses()
    .filter((p) => p.cwd === dir || p.cwd.startsWith(`${dir}/`))
    .map((p) => p.pid)
}

/** Live (non-zombie) processes we may inspect, with their working directory and stat fields. */
function liveProcesses(): { pid: number; cwd: string; stat: string }[] {
  const found: { pid: number; cwd: string; stat: string }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`)
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2)
      if (!fields.startsWith('Z')) found.push({ pid: Number(entry), cwd, stat: fields })
    } catch {
      // Exited while we looked, or not ours to inspect.
    }
  }
  return found
}
