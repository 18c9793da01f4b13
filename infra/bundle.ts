/**
 * The one esbuild configuration for resolver and step bundles. CDK deploys these files;
 * the local runtime executes the same files.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build, type BuildOptions } from 'esbuild'
import { bundleDir, pipelineResolvers, pipelineSteps, repoRoot } from './api.js'
import { resolverDeclarationsPlugin } from './settings/resolver-view.js'

/** AppSync's limit on the code of one resolver or function. */
export const APPSYNC_CODE_LIMIT = 32_768

/** What AppSync requires of a JS resolver bundle: ESM, one file, `@aws-appsync/utils` left external. */
export const resolverBuildOptions: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  external: ['@aws-appsync/utils'],
  sourcemap: 'inline',
  sourcesContent: false,
  minify: false,
  treeShaking: true,
  logLevel: 'silent',
  write: false,
  // The setting declarations without docs text or other parts' settings (see resolver-view.ts).
  plugins: [resolverDeclarationsPlugin],
}

/** Bundles one TypeScript source into the code string AppSync receives. */
export async function bundleResolverSource(sourceFile: string): Promise<string> {
  const result = await build({ ...resolverBuildOptions, entryPoints: [join(repoRoot, sourceFile)] })
  const output = result.outputFiles?.[0]
  if (!output) throw new Error(`esbuild produced no output for ${sourceFile}`)
  return output.text
}

/** Bundles every step and resolver into `dist/resolvers/<name>.js` and returns the code by name. */
export async function buildResolverBundles(
  outDir = join(repoRoot, bundleDir),
): Promise<Map<string, string>> {
  await mkdir(outDir, { recursive: true })
  const sources = [...pipelineSteps, ...pipelineResolvers].map((s) => ({
    name: s.name,
    source: s.source,
  }))
  const bundles = new Map<string, string>()
  await Promise.all(
    sources.map(async ({ name, source }) => {
      const code = await bundleResolverSource(source)
      if (code.length > APPSYNC_CODE_LIMIT) {
        throw new Error(
          `${name} is ${code.length} characters; AppSync accepts at most ${APPSYNC_CODE_LIMIT}`,
        )
      }
      await writeFile(join(outDir, `${name}.js`), code)
      bundles.set(name, code)
    }),
  )
  return bundles
}
