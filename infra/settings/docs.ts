/**
 * The tables the settings write into the docs: every setting in docs/settings.md, rendered from
 * the declarations, and what an attacker can do within the default limits in docs/security.md
 * (`abuse-bounds.ts`). `npm run docs:settings` writes each between its markers (Prettier then
 * aligns it); test/settings-docs.test.ts fails when a file and the settings disagree.
 */
import { abuseTableRows } from './abuse-bounds.js'
import { describeAccepted } from './accepts.js'
import { settingDeclarations, type OtpSettings, type Receiver } from './declaration.js'

export const TABLE_START = '<!-- settings-table:start (npm run docs:settings writes this table) -->'
export const TABLE_END = '<!-- settings-table:end -->'
export const ABUSE_TABLE_START =
  '<!-- abuse-table:start (npm run docs:settings writes this table) -->'
export const ABUSE_TABLE_END = '<!-- abuse-table:end -->'

interface Markers {
  start: string
  end: string
}

const settingsMarkers: Markers = { start: TABLE_START, end: TABLE_END }
const abuseMarkers: Markers = { start: ABUSE_TABLE_START, end: ABUSE_TABLE_END }

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
  return withTable(markdown, settingsMarkers, settingsTableRows())
}

/** The cells of the settings table, header first, without the delimiter row. */
export function readSettingsTable(markdown: string): string[][] {
  return readTable(markdown, settingsMarkers)
}

/** `markdown` with the abuse table (docs/security.md) for `settings` between its markers. */
export function withAbuseTable(markdown: string, settings: OtpSettings): string {
  return withTable(markdown, abuseMarkers, abuseTableRows(settings))
}

/** The cells of the abuse table, header first, without the delimiter row. */
export function readAbuseTable(markdown: string): string[][] {
  return readTable(markdown, abuseMarkers)
}

function withTable(markdown: string, markers: Markers, [header = [], ...rows]: string[][]): string {
  const { before, after } = splitAtTable(markdown, markers)
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`)
  return `${before}\n\n${table.join('\n')}\n\n${after}`
}

function readTable(markdown: string, markers: Markers): string[][] {
  return splitAtTable(markdown, markers)
    .table.split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    )
}

function splitAtTable(
  markdown: string,
  markers: Markers,
): { before: string; table: string; after: string } {
  const start = markdown.indexOf(markers.start)
  const end = markdown.indexOf(markers.end)
  if (start < 0 || end < start) throw new Error(`the table markers are missing: ${markers.start}`)
  return {
    before: markdown.slice(0, start + markers.start.length),
    table: markdown.slice(start + markers.start.length, end).trim(),
    after: markdown.slice(end),
  }
}
