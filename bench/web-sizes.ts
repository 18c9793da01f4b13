/**
 * What a first visit to the web app downloads in each language: the entry chunk with its static
 * imports, plus that language's message chunk (the others are never fetched), read from the
 * build's `.vite/manifest.json` and measured raw and gzipped (level 9).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** The page's budget: all JavaScript of a first visit, gzipped, in any language. */
export const initialJsBudgetGzipBytes = 80_000

interface ManifestChunk {
  file: string
  src?: string
  isEntry?: boolean
  imports?: string[]
}

export interface InitialLoad {
  locale: string
  files: string[]
  bytes: number
  gzipBytes: number
  withinBudget: boolean
}

export interface InitialLoadReport {
  budgetGzipBytes: number
  /** The chunks every language loads. */
  shared: { files: string[]; bytes: number; gzipBytes: number }
  locales: InitialLoad[]
}

/** Reads `<distDir>/.vite/manifest.json` (`npm run build:web`) and measures each language's first visit. */
export async function measureInitialLoads(distDir: string): Promise<InitialLoadReport> {
  const manifest = JSON.parse(
    await readFile(join(distDir, '.vite/manifest.json'), 'utf8'),
  ) as Record<string, ManifestChunk>
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    const chunk = manifest[key]
    if (!chunk || seen.has(chunk.file)) return seen
    seen.add(chunk.file)
    for (const imported of chunk.imports ?? []) closure(imported, seen)
    return seen
  }
  const sizes = new Map<string, { bytes: number; gzipBytes: number }>()
  const measure = async (files: Iterable<string>) => {
    let bytes = 0
    let gzipBytes = 0
    for (const file of files) {
      if (!sizes.has(file)) {
        const content = await readFile(join(distDir, file))
        sizes.set(file, {
          bytes: content.length,
          gzipBytes: gzipSync(content, { level: 9 }).length,
        })
      }
      bytes += sizes.get(file)?.bytes ?? 0
      gzipBytes += sizes.get(file)?.gzipBytes ?? 0
    }
    return { bytes, gzipBytes }
  }

  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry)
  if (!entry) throw new Error('the web build has no entry chunk')
  const sharedFiles = closure(entry)
  const locales: InitialLoad[] = []
  for (const [key, chunk] of Object.entries(manifest)) {
    const locale = /(?:^|\/)locales\/([\w-]+)\.json$/.exec(chunk.src ?? key)?.[1]
    if (!locale) continue
    const files = [...new Set([...sharedFiles, ...closure(key)])]
    const size = await measure(files)
    locales.push({
      locale,
      files,
      ...size,
      withinBudget: size.gzipBytes <= initialJsBudgetGzipBytes,
    })
  }
  locales.sort((a, b) => a.locale.localeCompare(b.locale))
  return {
    budgetGzipBytes: initialJsBudgetGzipBytes,
    shared: { files: [...sharedFiles], ...(await measure(sharedFiles)) },
    locales,
  }
}
