/** What the bench reads about processes from /proc (Linux): who is alive, and CPU time used. */
import { readdirSync, readFileSync } from 'node:fs'

/** The command line of `pid`, or [] once it has exited. */
export function argsOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return []
  }
}

/** Live (non-zombie) processes with their /proc stat fields after the command name (state first). */
export function liveProcesses(): { pid: number; fields: string[] }[] {
  const found: { pid: number; fields: string[] }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] !== 'Z') found.push({ pid: Number(entry), fields })
    } catch {
      // Exited while we looked.
    }
  }
  return found
}

/** Members of process group `group`. */
export function groupPids(group: number): number[] {
  // After the command name: state, ppid, pgrp.
  return liveProcesses()
    .filter((p) => Number(p.fields[2]) === group)
    .map((p) => p.pid)
}

/** DynamoDB Local Java processes started with `-port <port>`. */
export function dynamoDbLocalPids(port: number): number[] {
  return liveProcesses()
    .map((p) => p.pid)
    .filter((pid) => {
      const args = argsOf(pid)
      const at = args.indexOf('-port')
      return (
        args.some((a) => a.endsWith('DynamoDBLocal.jar')) &&
        at >= 0 &&
        args[at + 1] === String(port)
      )
    })
}

// Linux reports CPU time in clock ticks; USER_HZ is 100 on every platform Node supports.
const TICKS_PER_SECOND = 100

/** CPU seconds (user + system) `pid` has used so far, or undefined once it has exited. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return undefined
  }
}
