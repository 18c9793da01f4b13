/**
 * `npm run dev`: the web app's Vite dev server (hot reload) beside the local stack, forwarding
 * `/graphql` to the stack's API and configured with the stack's key.
 */
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { repoRoot } from '../api.js'
import { PortInUseError } from './ports.js'

export interface WebDevServer {
  url: string
  close(): Promise<void>
}

/** Starts Vite on `port` (0: a free one) for `web/`, pointed at `apiUrl` with `apiKey`. */
export async function startWebDevServer(options: {
  port: number
  apiUrl: string
  apiKey: string
}): Promise<WebDevServer> {
  // Read by web/vite.config.ts (proxy target) and by the app (import.meta.env), which prefer
  // process.env over web/.env.development.
  process.env.LOCAL_API_ORIGIN = new URL(options.apiUrl).origin
  process.env.VITE_API_URL = '/graphql'
  process.env.VITE_API_KEY = options.apiKey
  const { createServer } = await import('vite')
  // Middleware mode on a server of ours: Vite's own server would exit the process on SIGTERM
  // before the stack has stopped its Java process.
  const http = createHttpServer()
  const vite = await createServer({
    configFile: join(repoRoot, 'web/vite.config.ts'),
    logLevel: 'warn',
    clearScreen: false,
    appType: 'spa',
    server: { middlewareMode: true, hmr: { server: http } },
  })
  http.on('request', vite.middlewares)
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject)
      http.listen(options.port, 'localhost', resolve)
    })
  } catch (error) {
    await vite.close()
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    throw new PortInUseError(options.port, {
      label: 'web dev server',
      variables: ['WEB_DEV_PORT'],
      default: 5173,
    })
  }
  const { port } = http.address() as AddressInfo
  return {
    url: `http://localhost:${port}/`,
    async close() {
      await vite.close()
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}
