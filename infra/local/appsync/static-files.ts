/**
 * Serves a built single-page app from a directory: the file if it exists, else `index.html`
 * for navigations (paths without a file extension), else 404. Never leaves the directory.
 * Text is gzipped for clients that accept it, as CloudFront does in front of the deployed app.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { createGzip } from 'node:zlib'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

const compressible = /^(?:text\/|application\/(?:json|manifest\+json)|image\/svg\+xml)/

/** Whether an `Accept-Encoding` header allows gzip (and does not refuse it with `q=0`). */
const acceptsGzip = (acceptEncoding: string | undefined): boolean =>
  (acceptEncoding ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';')
    return (
      (coding === 'gzip' || coding === '*') &&
      !params.some((param) => /^\s*q=0(?:\.0*)?\s*$/.test(param))
    )
  })

/** Resolves to true when it answered the request (with a file or the SPA fallback). */
export async function serveStatic(
  root: string,
  pathname: string,
  response: ServerResponse,
  headOnly = false,
  acceptEncoding?: string,
): Promise<boolean> {
  const base = resolve(root)
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return false
  }
  const requested = resolve(base, `.${decoded}`)
  if (requested !== base && !requested.startsWith(base + sep)) return false
  let file = (await isFile(requested)) ? requested : undefined
  if (!file && (await isFile(join(requested, 'index.html')))) file = join(requested, 'index.html')
  if (!file && extname(decoded) === '' && (await isFile(join(base, 'index.html'))))
    file = join(base, 'index.html')
  if (!file) return false
  const type = contentTypes[extname(file)] ?? 'application/octet-stream'
  // Hashed assets may be cached for good; the HTML that names them must be revalidated.
  const cache = file.endsWith('.html')
    ? 'no-cache'
    : decoded.includes('/assets/')
    ? 'public, max-age=31536000, immutable'
    : 'no-cache'
  const gzip = compressible.test(type) && acceptsGzip(acceptEncoding)
  response.writeHead(200, {
    'content-type': type,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  })
  if (headOnly) {
    response.end()
    return true
  }
  const body = createReadStream(file)
  if (gzip) body.pipe(createGzip()).pipe(response)
  else body.pipe(response)
  return true
}
