import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'
import { anchorsOf, linkProblems, markdownFiles, slugOf, tableCellsOf } from './markdown.js'

/** README.md is the front door: what, how to start, how to use; reference lives in docs/. */
const README_MAX_LINES = 250
/** A table cell longer than this wants to be prose. */
const TABLE_CELL_MAX_CHARS = 300

describe('README.md and docs/', () => {
  const pages = markdownFiles(repoRoot)

  it('include README.md and the reference pages under docs/', () => {
    expect(pages).toContain('README.md')
    expect(pages.filter((page) => page.startsWith('docs/')).length).toBeGreaterThan(5)
  })

  it('link only to files, folders and headings that exist inside the repository', () => {
    expect(linkProblems(repoRoot, pages)).toEqual([])
  })

  it('keep README.md a front door of at most 250 lines', () => {
    const lines = readFileSync(join(repoRoot, 'README.md'), 'utf8').trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(README_MAX_LINES)
  })

  it('have no table cell over 300 characters', () => {
    const long = pages.flatMap((page) =>
      tableCellsOf(readFileSync(join(repoRoot, page), 'utf8'))
        .filter(({ cell }) => cell.length > TABLE_CELL_MAX_CHARS)
        .map(({ line, cell }) => `${page}:${line}: ${cell.length} characters`),
    )
    expect(long).toEqual([])
  })
})

describe('slugOf (anchors as GitHub makes them)', () => {
  it('lower-cases, drops punctuation and code marks, and turns spaces into hyphens', () => {
    expect(slugOf('From your backend (IAM, SigV4)')).toBe('from-your-backend-iam-sigv4')
    expect(slugOf('The local AppSync runtime (`infra/local/appsync/`)')).toBe(
      'the-local-appsync-runtime-infralocalappsync',
    )
    expect(slugOf('8. Open `WebUrl` and receive a code')).toBe('8-open-weburl-and-receive-a-code')
    expect(slugOf("Where it differs, or where AppSync's behaviour is not documented")).toBe(
      'where-it-differs-or-where-appsyncs-behaviour-is-not-documented',
    )
  })

  it('keeps hyphens and underscores, and the text of a link', () => {
    expect(slugOf('APPSYNC_JS — the [runtime](x.md)')).toBe('appsync_js--the-runtime')
  })

  it('suffixes a repeated heading -1, -2 and ignores headings in code blocks', () => {
    const page = '# Tests\n## Tests\n```\n# Tests\n```\n### Tests\n'
    expect([...anchorsOf(page)]).toEqual(['tests', 'tests-1', 'tests-2'])
  })
})

describe('linkProblems', () => {
  const root = mkdtempSync(join(tmpdir(), 'docs-links-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  function page(path: string, text: string): void {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }

  it('reports a missing file, a missing anchor, a path outside the repository and an absolute path', () => {
    // Prepare
    page('docs/guide.md', '# Guide\n\n## Step one\n')
    page('src/app.ts', 'export {}\n')
    page(
      'README.md',
      [
        '# Front',
        '[fine](docs/guide.md#step-one) [also fine](src/app.ts) [here](#front) [web](https://x.test/a)',
        '[gone](docs/missing.md)',
        '[no anchor](docs/guide.md#step-two)',
        '[outside](../shared/DESIGN.md)',
        '[absolute](/work/shared/STYLE.md)',
        '`[in code](nowhere.md)`',
      ].join('\n'),
    )

    // Act
    const problems = linkProblems(root, ['README.md', 'docs/guide.md'])

    // Assess
    expect(problems).toEqual([
      'README.md:3: docs/missing.md: no such file or folder',
      'README.md:4: docs/guide.md#step-two: no heading in docs/guide.md has this anchor',
      'README.md:5: ../shared/DESIGN.md: outside the repository',
      'README.md:6: /work/shared/STYLE.md: an absolute path; link relative to the page',
      'README.md:3: names docs/missing.md, which is not in the repository',
      'README.md:5: names ../shared/DESIGN.md, which is not in the repository',
      'README.md:6: names /work/shared/STYLE.md, which is not in the repository',
      'README.md:7: names nowhere.md, which is not in the repository',
    ])
  })

  it('reports a markdown page named in prose that the repository does not have', () => {
    page('notes.md', 'The invariants are in `DESIGN.md` (S1 to S10); see also docs/guide.md.\n')
    expect(linkProblems(root, ['notes.md'])).toEqual([
      'notes.md:1: names DESIGN.md, which is not in the repository',
    ])
  })
})
