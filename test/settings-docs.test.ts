import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../infra/api.js'
import { abuseTableRows } from '../infra/settings/abuse-bounds.js'
import {
  readAbuseTable,
  readSettingsTable,
  settingsTableRows,
  withAbuseTable,
  withSettingsTable,
} from '../infra/settings/docs.js'
import { defaultSettings } from '../infra/settings.js'

const page = () => readFileSync(join(repoRoot, 'docs/settings.md'), 'utf8')
const securityPage = () => readFileSync(join(repoRoot, 'docs/security.md'), 'utf8')

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

describe('docs/security.md', () => {
  it('shows what an attacker can do within the default limits, recomputed from the settings (npm run docs:settings rewrites it)', () => {
    expect(readAbuseTable(securityPage())).toEqual(abuseTableRows(defaultSettings))
  })

  it('reads back the table it writes, so the check above compares like with like', () => {
    const written = withAbuseTable(securityPage(), defaultSettings)
    expect(readAbuseTable(written)).toEqual(abuseTableRows(defaultSettings))
    expect(withAbuseTable(written, defaultSettings)).toBe(written)
  })
})
