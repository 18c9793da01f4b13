/**
 * What the local stack assumes unless told otherwise: the API key, the one IAM identity, where
 * the built resolvers and web app are, and how a missing build is reported.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { bundleDir, bundleNames, repoRoot } from '../api.js'

/** The API key the local API accepts unless `API_KEY` says otherwise. */
export const DEFAULT_LOCAL_API_KEY = 'da2-local-development-key'

/** Credentials a local backend signs IAM calls with (SigV4, service `appsync`). */
export interface LocalIamCredentials {
  accessKeyId: string
  secretAccessKey: string
  region: string
  accountId: string
}

/**
 * The local API's only IAM identity. Deliberately not read from `AWS_ACCESS_KEY_ID` and friends,
 * so a developer's real AWS credentials never reach the local stack or its logs.
 * Override with `LOCAL_IAM_ACCESS_KEY_ID`, `LOCAL_IAM_SECRET_ACCESS_KEY`, `LOCAL_IAM_REGION`.
 */
export const DEFAULT_LOCAL_IAM: Readonly<LocalIamCredentials> = Object.freeze({
  accessKeyId: 'ASIALOCALDEVELOPMENT',
  secretAccessKey: 'local-development-secret-access-key',
  region: 'us-east-1',
  accountId: '000000000000',
})

/** The local IAM credentials after environment overrides. */
export function localIamCredentials(
  env: Record<string, string | undefined> = process.env,
): LocalIamCredentials {
  return {
    accessKeyId: nonEmpty(env.LOCAL_IAM_ACCESS_KEY_ID) ?? DEFAULT_LOCAL_IAM.accessKeyId,
    secretAccessKey: nonEmpty(env.LOCAL_IAM_SECRET_ACCESS_KEY) ?? DEFAULT_LOCAL_IAM.secretAccessKey,
    region: nonEmpty(env.LOCAL_IAM_REGION) ?? DEFAULT_LOCAL_IAM.region,
    accountId: DEFAULT_LOCAL_IAM.accountId,
  }
}

/** Thrown when a build output the stack serves is missing; the message names the npm script. */
export class MissingBuildError extends Error {
  override name = 'MissingBuildError'
}

/** The value, or undefined when it is unset or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

/** The web app directory to serve: the option, else `web/dist` when built; none for `false`. */
export function chooseWebDir(option: string | false | undefined): string | undefined {
  if (option === false) return undefined
  if (option !== undefined) return resolve(option)
  const built = join(repoRoot, 'web/dist')
  return existsSync(join(built, 'index.html')) ? built : undefined
}

/**
 * @throws MissingBuildError when a resolver bundle is missing from `dist/resolvers`.
 */
export function assertBundlesBuilt(): void {
  const missing = bundleNames().filter(
    (name) => !existsSync(join(repoRoot, bundleDir, `${name}.js`)),
  )
  if (missing.length > 0) {
    throw new MissingBuildError(
      `resolver bundles missing in ${bundleDir} (${missing.join(
        ', ',
      )}): run npm run build:resolvers`,
    )
  }
}
