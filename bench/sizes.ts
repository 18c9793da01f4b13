/**
 * Sizes: each resolver bundle against AppSync's per-resolver code limit, the web app's
 * JavaScript and CSS, raw and gzipped, and the JavaScript of a first visit in each language
 * against the page's budget.
 */
import { readdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { bundleDir, bundleNames, repoRoot } from '../infra/api.js'
import { APPSYNC_CODE_LIMIT } from '../infra/bundle.js'
import { measureInitialLoads, type InitialLoadReport } from './web-sizes.js'

export interface BundleSize {
  name: string
  /** What AppSync counts against its limit: the whole file, inline source map included. */
  characters: number
  /** Of which the inline source map (CDK deploys the same file, so it counts). */
  sourceMapCharacters: number
  /** `characters` as a share of the limit, 0..1. */
  shareOfLimit: number
}

export interface AssetSize {
  file: string
  bytes: number
  gzipBytes: number
}

export interface SizeReport {
  appsyncLimit: number
  bundles: BundleSize[]
  web:
    | {
        js: AssetSize[]
        css: AssetSize[]
        totals: { jsBytes: number; jsGzipBytes: number; cssBytes: number; cssGzipBytes: number }
        /** A first visit per language: entry chunk plus that language's messages. */
        initialLoad: InitialLoadReport
      }
    | { notAvailable: string }
}

const SOURCE_MAP_MARKER = '//# sourceMappingURL='

/** Reads the built bundles (`npm run build:resolvers`) and web assets (`npm run build:web`). */
export async function measureSizes(): Promise<SizeReport> {
  const bundles = await Promise.all(
    bundleNames().map(async (name): Promise<BundleSize> => {
      const code = await readFile(join(repoRoot, bundleDir, `${name}.js`), 'utf8')
      const mapAt = code.lastIndexOf(SOURCE_MAP_MARKER)
      return {
        name,
        characters: code.length,
        sourceMapCharacters: mapAt >= 0 ? code.length - mapAt : 0,
        shareOfLimit: code.length / APPSYNC_CODE_LIMIT,
      }
    }),
  )
  bundles.sort((a, b) => b.characters - a.characters)
  return {
    appsyncLimit: APPSYNC_CODE_LIMIT,
    bundles,
    web: await measureWebAssets(join(repoRoot, 'web/dist')),
  }
}

async function measureWebAssets(dist: string): Promise<SizeReport['web']> {
  const dir = join(dist, 'assets')
  let files: string[]
  try {
    files = await readdir(dir)
  } catch {
    return { notAvailable: 'web/dist/assets is missing: run npm run build:web' }
  }
  const measure = async (file: string): Promise<AssetSize> => {
    const content = await readFile(join(dir, file))
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length }
  }
  const js = await Promise.all(
    files
      .filter((f) => extname(f) === '.js')
      .sort()
      .map(measure),
  )
  const css = await Promise.all(
    files
      .filter((f) => extname(f) === '.css')
      .sort()
      .map(measure),
  )
  const sum = (assets: AssetSize[], key: 'bytes' | 'gzipBytes') =>
    assets.reduce((total, a) => total + a[key], 0)
  return {
    js,
    css,
    totals: {
      jsBytes: sum(js, 'bytes'),
      jsGzipBytes: sum(js, 'gzipBytes'),
      cssBytes: sum(css, 'bytes'),
      cssGzipBytes: sum(css, 'gzipBytes'),
    },
    initialLoad: await measureInitialLoads(dist),
  }
}
