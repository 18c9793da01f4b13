/**
 * The runtime library (`runtime-lib/`) as one compiled script, built once per process with
 * esbuild and run in every sandbox context before a bundle loads.
 */
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import { build } from 'esbuild'

const entry = fileURLToPath(new URL('./runtime-lib/index.ts', import.meta.url))

let compiled: Promise<vm.Script> | undefined

async function compile(): Promise<vm.Script> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName: '__appsyncRuntimeLib',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.text
  if (code === undefined)
    throw new Error('esbuild produced no output for the APPSYNC_JS runtime library')
  return new vm.Script(code, { filename: 'appsync-runtime-lib.js' })
}

/** The compiled script that defines `__appsyncRuntimeLib` when run in a context. */
export function runtimeLibScript(): Promise<vm.Script> {
  compiled ??= compile().catch((error: unknown) => {
    compiled = undefined
    throw error
  })
  return compiled
}
