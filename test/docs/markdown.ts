/**
 * What the docs test reads from markdown: links, headings as GitHub turns them into anchors, table
 * cells, and the problems of a set of pages (a link to nothing, to an anchor no heading makes, or
 * out of the repository; a page named that does not exist).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

/** Folders that hold no page of ours: dependencies, build output, caches. */
const NOT_OURS = new Set([
  'node_modules',
  '.git',
  'dist',
  'cdk.out',
  '.local',
  'test-results',
  'coverage',
])

/** Every `*.md` file under `root`, as paths relative to it, sorted. */
export function markdownFiles(root: string, dir = root): string[] {
  const found: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (NOT_OURS.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...markdownFiles(root, path))
    else if (entry.name.endsWith('.md')) found.push(relative(root, path))
  }
  return found.sort()
}

/** The text with fenced code blocks blanked out, line numbers kept. */
function withoutCodeBlocks(text: string): string {
  let fence: string | undefined
  return text
    .split('\n')
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1]
      if (fence === undefined && marker) {
        fence = marker
        return ''
      }
      if (fence !== undefined) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined
        return ''
      }
      return line
    })
    .join('\n')
}

/** The text without code blocks and code spans, where links and headings are. */
function prose(text: string): string {
  return withoutCodeBlocks(text).replace(/`+[^`\n]*`+/g, (span) => ' '.repeat(span.length))
}

export interface Link {
  line: number
  target: string
}

/** Inline links and images, reference definitions and HTML `href`/`src`, outside code. */
export function linksOf(text: string): Link[] {
  const links: Link[] = []
  prose(text)
    .split('\n')
    .forEach((line, index) => {
      const patterns = [
        /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
        /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g,
        /\b(?:href|src)="([^"]+)"/g,
      ]
      for (const pattern of patterns) {
        for (const match of line.matchAll(pattern)) {
          links.push({ line: index + 1, target: match[1] as string })
        }
      }
    })
  return links
}

/**
 * The anchor GitHub gives a heading (github-slugger): the rendered text lower-cased, every
 * character but letters, digits, marks, `_`, `-` and spaces removed, spaces turned into hyphens.
 */
export function slugOf(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .trim()
  return rendered
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of a page: heading slugs, a repeated slug suffixed `-1`, `-2`, ...; HTML ids. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  const lines = withoutCodeBlocks(text).split('\n')
  for (const line of lines) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1]
    if (heading !== undefined) {
      const slug = slugOf(heading)
      const count = seen.get(slug) ?? 0
      seen.set(slug, count + 1)
      anchors.add(count === 0 ? slug : `${slug}-${count}`)
    }
    for (const match of line.matchAll(/<[a-z]+[^>]*\s(?:id|name)="([^"]+)"/g)) {
      anchors.add(match[1] as string)
    }
  }
  return anchors
}

/** The cells of every table row, outside code blocks, with the line they are on. */
export function tableCellsOf(text: string): { line: number; cell: string }[] {
  const cells: { line: number; cell: string }[] = []
  withoutCodeBlocks(text)
    .split('\n')
    .forEach((line, index) => {
      if (!/^\s*\|/.test(line)) return
      for (const cell of line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)) {
        cells.push({ line: index + 1, cell: cell.trim() })
      }
    })
  return cells
}

/**
 * Everything wrong with the links of `files` (relative to `root`): a relative link to a path
 * that does not exist or lies outside `root`, an anchor no heading of the target page makes, an
 * absolute file path, and a markdown page named (even in code) that does not exist.
 * @returns one line per problem, `file:line: what`.
 */
export function linkProblems(repository: string, files: string[]): string[] {
  const root = resolve(repository)
  const problems: string[] = []
  const anchorCache = new Map<string, Set<string>>()
  const anchorsIn = (path: string) => {
    let anchors = anchorCache.get(path)
    if (!anchors) {
      anchors = anchorsOf(readFileSync(path, 'utf8'))
      anchorCache.set(path, anchors)
    }
    return anchors
  }
  const inside = (path: string) => path === root || path.startsWith(root + sep)

  for (const file of files) {
    const path = join(root, file)
    const text = readFileSync(path, 'utf8')
    for (const { line, target } of linksOf(text)) {
      const at = `${file}:${line}: ${target}`
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // https:, mailto: and the like
      if (target.startsWith('/')) {
        problems.push(`${at}: an absolute path; link relative to the page`)
        continue
      }
      const [rawPath = '', rawAnchor] = target.split('#', 2)
      const targetPath = rawPath === '' ? path : resolve(dirname(path), decodeURI(rawPath))
      if (!inside(targetPath)) {
        problems.push(`${at}: outside the repository`)
        continue
      }
      if (!existsSync(targetPath)) {
        problems.push(`${at}: no such file or folder`)
        continue
      }
      if (rawAnchor === undefined) continue
      if (!targetPath.endsWith('.md') || statSync(targetPath).isDirectory()) {
        problems.push(`${at}: an anchor into a file that is not a markdown page`)
        continue
      }
      if (!anchorsIn(targetPath).has(decodeURIComponent(rawAnchor))) {
        problems.push(`${at}: no heading in ${relative(root, targetPath)} has this anchor`)
      }
    }
    text.split('\n').forEach((content, index) => {
      const withoutUrls = content.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '')
      for (const match of withoutUrls.matchAll(/(?<![\w./-])([\w./-]*\w\.md)\b/g)) {
        const named = match[1] as string
        const candidates = [resolve(dirname(path), named), resolve(root, named)]
        if (!candidates.some((candidate) => inside(candidate) && existsSync(candidate))) {
          problems.push(`${file}:${index + 1}: names ${named}, which is not in the repository`)
        }
      }
    })
  }
  return problems
}
