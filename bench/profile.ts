/**
 * A CPU profile of the bench process (which also runs the local API server) while a function
 * runs, summarised by where the time went: the share of samples per part of the stack and the
 * functions with the most self time.
 */
import { Session } from 'node:inspector/promises'
import { writeFile } from 'node:fs/promises'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
}

export interface ProfileSummary {
  file: string
  /** Share of samples (0..1) per part, largest first. */
  parts: { part: string; share: number }[]
  /** Functions with the most self time. */
  functions: { name: string; share: number }[]
}

/** Which part of the process a frame belongs to, by its script URL. */
function partOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame
  if (functionName === '(garbage collector)') return 'garbage collection'
  if (functionName === '(idle)') return 'idle (waiting for I/O)'
  if (functionName === '(program)') return 'V8 and native code'
  if (url.startsWith('appsync-runtime:') || /^[A-Za-z.]+\.js$/.test(url))
    return 'resolver bundles in the sandbox'
  if (url.includes('/infra/local/appsync/')) return 'local AppSync runtime (infra/local/appsync)'
  if (url.includes('/node_modules/graphql/')) return 'graphql-js'
  if (url.includes('/node_modules/@smithy/') || url.includes('/node_modules/@aws-sdk/'))
    return 'AWS SDK'
  if (url.includes('undici')) return 'fetch (undici)'
  if (url.includes('/bench/')) return 'bench load generator'
  if (url.startsWith('node:') || url === '') return 'Node internals (http, streams, vm)'
  return 'other'
}

/** Runs `fn` under the V8 CPU profiler and writes the profile to `file` (open it in Chrome DevTools). */
export async function profileWhile<T>(
  file: string,
  fn: () => Promise<T>,
): Promise<{ result: T; summary: ProfileSummary }> {
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
    const result = await fn()
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile }
    await writeFile(file, JSON.stringify(profile))
    return { result, summary: summarise(profile, file) }
  } finally {
    session.disconnect()
  }
}

function summarise(profile: CpuProfile, file: string): ProfileSummary {
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1
  const parts = new Map<string, number>()
  const functions = new Map<string, number>()
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    if (hits === 0) continue
    const part = partOf(node.callFrame)
    parts.set(part, (parts.get(part) ?? 0) + hits)
    const where = node.callFrame.url.split('/').slice(-2).join('/')
    const name = `${node.callFrame.functionName || '(anonymous)'} ${where}:${
      node.callFrame.lineNumber + 1
    }`
    functions.set(name, (functions.get(name) ?? 0) + hits)
  }
  const ranked = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, hits]) => ({ name, share: Math.round((hits / total) * 1000) / 1000 }))
  return {
    file,
    parts: ranked(parts, 12).map(({ name, share }) => ({ part: name, share })),
    functions: ranked(functions, 12),
  }
}
