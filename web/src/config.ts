/**
 * Where the app finds the GraphQL API, the key it sends as `x-api-key`, the name it shows, and the
 * language it speaks when the browser names none it ships (the `defaultLocale` setting).
 */
export interface AppConfig {
  apiUrl: string
  apiKey: string
  appName?: string
  defaultLocale?: string
}

/** Raised when neither `config.json` nor the `VITE_API_*` variables name an API. */
export class MissingConfigError extends Error {
  override name = 'MissingConfigError'
}

export type BuildEnv = { VITE_API_URL?: string; VITE_API_KEY?: string; VITE_APP_NAME?: string }

function readConfig(value: unknown): AppConfig | null {
  if (typeof value !== 'object' || value === null) return null
  const { apiUrl, apiKey, appName, defaultLocale } = value as Record<string, unknown>
  if (typeof apiUrl !== 'string' || apiUrl === '' || typeof apiKey !== 'string') return null
  return {
    apiUrl,
    apiKey,
    ...(typeof appName === 'string' && appName !== '' ? { appName } : {}),
    ...(typeof defaultLocale === 'string' && defaultLocale !== '' ? { defaultLocale } : {}),
  }
}

async function fetchRuntimeConfig(fetchFn: typeof fetch, url: string): Promise<AppConfig | null> {
  try {
    const response = await fetchFn(url, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    })
    return response.ok ? readConfig(await response.json()) : null
  } catch {
    // Absent or not JSON (a dev server answers unknown paths with index.html): use the build env.
    return null
  }
}

/**
 * Resolves the API configuration once at start-up. A runtime `config.json` beside the app
 * (written at deploy time, or served by the local stack) wins, so one build serves every
 * environment; otherwise `VITE_API_URL` / `VITE_API_KEY` from the build. A relative API URL
 * resolves against `baseUrl`. Rejects with {@link MissingConfigError} when neither names an API.
 */
export async function loadConfig(
  env: BuildEnv,
  fetchFn: typeof fetch = fetch,
  baseUrl: string = document.baseURI,
): Promise<AppConfig> {
  const runtime = await fetchRuntimeConfig(fetchFn, new URL('config.json', baseUrl).href)
  const config =
    runtime ??
    readConfig({
      apiUrl: env.VITE_API_URL,
      apiKey: env.VITE_API_KEY ?? '',
      appName: env.VITE_APP_NAME,
    })
  if (!config) {
    // The page says how to fix it (app.missingConfig); the message stays short for the page's size.
    throw new MissingConfigError('no API configured')
  }
  return { ...config, apiUrl: new URL(config.apiUrl, baseUrl).href }
}
