import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundleDir, bundleNames, repoRoot } from '../api.js'

/** Thrown when `dist/resolvers` lacks a bundle the API description names. */
export class MissingBundleError extends Error {
  override name = 'MissingBundleError'
}

/**
 * Reads every resolver and step bundle that `npm run build:resolvers` wrote, so CDK deploys
 * the very files the local stack executes.
 * @throws MissingBundleError naming the first missing bundle and the command that builds it.
 */
export function readResolverBundles(dir = join(repoRoot, bundleDir)): Map<string, string> {
  const bundles = new Map<string, string>()
  for (const name of bundleNames()) {
    const file = join(dir, `${name}.js`)
    if (!existsSync(file)) {
      throw new MissingBundleError(
        `${file} is missing: run \`npm run build:resolvers\` (or \`npm run synth\`) first`,
      )
    }
    bundles.set(name, readFileSync(file, 'utf8'))
  }
  return bundles
}
