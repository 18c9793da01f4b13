/**
 * What the local runtime serves: a schema, pipeline resolvers bound to fields with their steps in
 * order, each step's data source, and the bundle text of every resolver and step. For the project
 * it comes from `infra/api.ts`, `schema.graphql` and `dist/resolvers/`; tests build their own.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  authorization,
  bundleDir as defaultBundleDir,
  bundleNames,
  pipelineResolvers,
  pipelineSteps,
  repoRoot,
  schemaFile,
  type DataSourceName,
} from '../../api.js'
import type { AuthMode } from './field-auth.js'

export interface ApiDescription {
  /** The API's SDL as deployed (AppSync's scalars and directives are added by the runtime). */
  schema: string
  /** The mode a type or field without an auth directive allows (and only that one). */
  defaultAuthMode: AuthMode
  resolvers: readonly {
    typeName: string
    fieldName: string
    name: string
    steps: readonly string[]
  }[]
  steps: readonly { name: string; dataSource: DataSourceName }[]
  /** Bundle text by resolver or step name. */
  bundles: ReadonlyMap<string, string>
}

/** Thrown when a bundle the API needs is missing; the message names the build command. */
export class MissingBundleError extends Error {
  override name = 'MissingBundleError'
}

/** AppSync's implicit scalars and directives (`infra/appsync.graphql`). */
export function readAppSyncPrelude(): Promise<string> {
  return readFile(join(repoRoot, 'infra/appsync.graphql'), 'utf8')
}

/** The project's API from `infra/api.ts`, with bundles read from `bundleDir` (default `dist/resolvers`). */
export async function loadProjectApi(
  bundleDir = join(repoRoot, defaultBundleDir),
): Promise<ApiDescription> {
  const bundles = new Map<string, string>()
  for (const name of bundleNames()) {
    try {
      bundles.set(name, await readFile(join(bundleDir, `${name}.js`), 'utf8'))
    } catch {
      throw new MissingBundleError(
        `resolver bundle ${name}.js is missing in ${bundleDir}: run npm run build:resolvers`,
      )
    }
  }
  return {
    schema: await readFile(join(repoRoot, schemaFile), 'utf8'),
    defaultAuthMode: authorization.defaultMode,
    resolvers: pipelineResolvers,
    steps: pipelineSteps,
    bundles,
  }
}
