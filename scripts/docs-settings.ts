// `npm run docs:settings`: rewrites the tables the settings decide, then lets Prettier align them:
// every setting in docs/settings.md (from infra/settings/declaration.ts), and what an attacker can do
// within the default limits in docs/security.md (infra/settings/abuse-bounds.ts).
import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { repoRoot } from '../infra/api.js'
import { defaultSettings } from '../infra/settings.js'
import { withAbuseTable, withSettingsTable } from '../infra/settings/docs.js'

const pages = [
  { file: join(repoRoot, 'docs/settings.md'), write: withSettingsTable },
  {
    file: join(repoRoot, 'docs/security.md'),
    write: (markdown: string) => withAbuseTable(markdown, defaultSettings),
  },
]
for (const { file, write } of pages) await writeFile(file, write(await readFile(file, 'utf8')))
execFileSync(
  join(repoRoot, 'node_modules/.bin/prettier'),
  ['--write', ...pages.map((page) => page.file)],
  { stdio: 'inherit' },
)
