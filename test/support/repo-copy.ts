/**
 * A copy of the working tree in a temporary directory, as a fresh clone would be after
 * `npm install`: for tests that run npm scripts which build, so that their build output (and a
 * build they interrupt) never touches the `dist/` and `web/dist/` other tests are reading.
 */
import { cp, mkdir, mkdtemp, readdir, realpath, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { repoRoot } from '../../infra/api.js'

/** Build output, caches and version control: what a fresh clone does not have. */
const NOT_COPIED = new Set([
  '.git',
  'node_modules',
  'dist',
  'cdk.out',
  '.local',
  'test-results',
  'coverage',
])

export interface RepoCopy {
  /** The copy's root directory (no symbolic links in its path). */
  dir: string
  remove(): Promise<void>
}

/**
 * Copies the sources and links each installed package of `node_modules` into the copy's own
 * `node_modules` (a real directory, so Vite's cache `node_modules/.vite` stays the copy's).
 */
export async function copyRepo(): Promise<RepoCopy> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'otp-clone-')))
  await cp(repoRoot, dir, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(basename(source)),
  })
  const installed = join(repoRoot, 'node_modules')
  await mkdir(join(dir, 'node_modules'))
  for (const entry of await readdir(installed)) {
    if (entry === '.vite') continue
    await symlink(join(installed, entry), join(dir, 'node_modules', entry))
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}
