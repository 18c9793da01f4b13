/**
 * The settings table of docs/settings.md, rendered from the declarations. `npm run
 * docs:settings` writes it between the markers (Prettier then aligns it);
 * test/settings-docs.test.ts fails when the file and the declarations disagree.
 */
import { describeAccepted } from './accepts.js'
import { settingDeclarations, type Receiver } from './declaration.js'

export const TABLE_START = '<!-- settings-table:start (npm run docs:settings writes this table) -->'
export const TABLE_END = '<!-- settings-table:end -->'

const receiverWords: Record<Receiver, string> = {
  resolvers: 'resolvers (`ctx.env`)',
  emailLambda: 'email Lambda',
  web: 'web app (`config.json`)',
}

/** Header and one row per setting, in declaration order; cells as Markdown text. */
export function settingsTableRows(): string[][] {
  const header = ['setting', 'variable', 'default', 'accepts', 'received by', 'meaning']
  const rows = Object.entries(settingDeclarations).map(([key, declared]) => [
    `\`${key}\``,
    `\`${declared.variable}\``,
    declared.default === '' ? 'empty' : `\`${String(declared.default)}\``,
    describeAccepted(declared),
    declared.receivers.map((receiver) => receiverWords[receiver]).join(', '),
    declared.meaning.replace(/\|/g, '\\|'),
  ])
  return [header, ...rows]
}

/** `markdown` with the text between the table markers replaced by the current table. */
export function withSettingsTable(markdown: string): string {
  const { before, after } = splitAtTable(markdown)
  const [header = [], ...rows] = settingsTableRows()
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`)
  return `${before}\n\n${table.join('\n')}\n\n${after}`
}

/** The cells of the table between the markers, header first, without the delimiter row. */
export function readSettingsTable(markdown: string): string[][] {
  return splitAtTable(markdown)
    .table.split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    )
}

function splitAtTable(markdown: string): { before: string; table: string; after: string } {
  const start = markdown.indexOf(TABLE_START)
  const end = markdown.indexOf(TABLE_END)
  if (start < 0 || end < start) throw new Error('the settings table markers are missing')
  return {
    before: markdown.slice(0, start + TABLE_START.length),
    table: markdown.slice(start + TABLE_START.length, end).trim(),
    after: markdown.slice(end),
  }
}
