// `npm run docs:settings`: rewrites the settings table in docs/settings.md from the declarations
// (infra/settings/declaration.ts), then lets Prettier align it.
import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { repoRoot } from '../infra/api.js'
import { withSettingsTable } from '../infra/settings/docs.js'

const file = join(repoRoot, 'docs/settings.md')
await writeFile(file, withSettingsTable(await readFile(file, 'utf8')))
execFileSync(join(repoRoot, 'node_modules/.bin/prettier'), ['--write', file], { stdio: 'inherit' })
