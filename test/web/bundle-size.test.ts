import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { initialJsBudgetGzipBytes, measureInitialLoads } from '../../bench/web-sizes.js'
import type { InitialLoadReport } from '../../bench/web-sizes.js'

// The build `npm test` makes first (happy-dom gives import.meta.url an http: scheme; vitest runs from the root).
const dist = join(process.cwd(), 'web/dist')
let report: InitialLoadReport

beforeAll(async () => {
  if (!existsSync(join(dist, '.vite/manifest.json')))
    throw new Error('web/dist has no manifest: run npm run build:web')
  report = await measureInitialLoads(dist)
})

describe('Web app build', () => {
  it('keeps the JavaScript of a first visit within 80 KB gzipped in every language', () => {
    expect(report.locales.map((load) => load.locale).sort()).toEqual(['ar', 'de', 'en'])
    for (const load of report.locales)
      expect(load.gzipBytes, `${load.locale}: ${load.files.join(', ')}`).toBeLessThanOrEqual(
        initialJsBudgetGzipBytes,
      )
  })

  it('loads one language’s messages on a first visit, not the others', () => {
    for (const load of report.locales) {
      const messageChunks = load.files.filter((file) => /\/(en|de|ar)-[\w-]+\.js$/.test(file))
      expect(messageChunks, load.locale).toEqual([expect.stringContaining(`/${load.locale}-`)])
    }
  })

  it('ships no GraphQL parser: documents arrive parsed', async () => {
    const assets = join(dist, 'assets')
    for (const file of (await readdir(assets)).filter((name) => name.endsWith('.js')))
      expect(await readFile(join(assets, file), 'utf8'), file).not.toContain('Unterminated string')
  })
})
