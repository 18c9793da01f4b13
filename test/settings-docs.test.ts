import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../infra/api.js'
import { readSettingsTable, settingsTableRows, withSettingsTable } from '../infra/settings/docs.js'

const page = () => readFileSync(join(repoRoot, 'docs/settings.md'), 'utf8')

describe('docs/settings.md', () => {
  it('lists every declared setting as the declarations say (npm run docs:settings rewrites it)', () => {
    expect(readSettingsTable(page())).toEqual(settingsTableRows())
  })

  it('reads back the table it writes, so the check above compares like with like', () => {
    const written = withSettingsTable(page())
    expect(readSettingsTable(written)).toEqual(settingsTableRows())
    expect(withSettingsTable(written)).toBe(written)
  })
})
