/**
 * Turns a resolver bundle (ESM text) into a script a `node:vm` context can run, without changing
 * what it does: esbuild re-emits it as an IIFE in strict mode, routes the AppSync imports to
 * the runtime library, and refuses syntax APPSYNC_JS lacks (async functions, generators, classes).
 * The statements and operators esbuild cannot refuse are refused by bundle-syntax.ts.
 */
import { build, type Plugin } from 'esbuild'

// Features APPSYNC_JS rejects that esbuild can detect for free while converting the module.
const unsupportedSyntax = {
  'async-await': false,
  'async-generator': false,
  generator: false,
  class: false,
} as const

const appsyncModules = /^@aws-appsync\/utils(\/(dynamodb|rds|ai))?$/

// Routes the modules APPSYNC_JS offers to the runtime library installed in the context (which
// serves @aws-appsync/utils and refuses the others); any other import stays unresolved and the
// bundle is refused, as AppSync refuses it.
const appsyncModulesPlugin: Plugin = {
  name: 'appsync-modules',
  setup(esbuild) {
    esbuild.onResolve({ filter: appsyncModules }, (args) => ({
      path: args.path,
      namespace: 'appsync',
    }))
    esbuild.onLoad({ filter: /.*/, namespace: 'appsync' }, (args) => ({
      contents: `module.exports = __appsyncRuntime.require(${JSON.stringify(args.path)})`,
      loader: 'js',
    }))
  },
}

/** The bundle as a script that defines `__appsyncBundle` (its exports). */
export async function toScript(name: string, code: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, loader: 'js', sourcefile: `${name}.js` },
    bundle: true,
    format: 'iife',
    globalName: '__appsyncBundle',
    platform: 'neutral',
    target: 'esnext',
    supported: unsupportedSyntax,
    // esbuild would otherwise route a stray `require` to a shim; APPSYNC_JS has none.
    define: { require: 'undefined' },
    // ES modules are strict; the script esbuild makes of one is not unless told so. AppSync runs strict.
    banner: { js: '"use strict";' },
    plugins: [appsyncModulesPlugin],
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]?.text ?? ''
}

/** A readable reason for esbuild's refusal, naming the bundle, the feature and the place. */
export function describeRejection(name: string, error: unknown): string {
  const failure = error as {
    errors?: { text: string; location?: { line: number; column: number } | null }[]
  }
  const first = failure.errors?.[0]
  if (!first)
    return `${name} could not be loaded: ${error instanceof Error ? error.message : String(error)}`
  const where = first.location
    ? ` (${name}.js:${first.location.line}:${first.location.column + 1})`
    : ''
  const feature = /async functions|generator|class syntax/.exec(first.text)?.[0]
  return feature
    ? `${name}: APPSYNC_JS does not support ${feature
        .replace('class syntax', 'classes')
        .replace('generator', 'generators')}${where}`
    : `${name}: ${first.text}${where}`
}
