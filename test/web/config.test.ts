import { describe, expect, it } from 'vitest'
import { loadConfig, MissingConfigError } from '../../web/src/config.js'

const base = 'https://app.example.com/'
const env = { VITE_API_URL: '/graphql', VITE_API_KEY: 'da2-build' }
const serve =
  (status: number, body: string, requested: string[] = []): typeof fetch =>
  async (input) => {
    requested.push(String(input))
    return new Response(body, { status, headers: { 'content-type': 'application/json' } })
  }

describe('Module: config', () => {
  it('prefers config.json served beside the app over the build variables', async () => {
    const requested: string[] = []
    const runtime = JSON.stringify({
      apiUrl: 'https://api.example.com/graphql',
      apiKey: 'da2-runtime',
      appName: 'Acme',
    })
    const config = await loadConfig(env, serve(200, runtime, requested), base)
    expect(requested).toEqual(['https://app.example.com/config.json'])
    expect(config).toEqual({
      apiUrl: 'https://api.example.com/graphql',
      apiKey: 'da2-runtime',
      appName: 'Acme',
    })
  })

  it('reads the default language from config.json, and leaves out an empty one', async () => {
    const runtime = (defaultLocale: string) =>
      JSON.stringify({ apiUrl: '/graphql', apiKey: 'k', defaultLocale })
    expect((await loadConfig(env, serve(200, runtime('de')), base)).defaultLocale).toBe('de')
    expect(await loadConfig(env, serve(200, runtime('')), base)).not.toHaveProperty('defaultLocale')
  })

  it('falls back to VITE_API_URL and VITE_API_KEY, resolving a relative URL', async () => {
    expect(await loadConfig(env, serve(404, 'not found'), base)).toEqual({
      apiUrl: 'https://app.example.com/graphql',
      apiKey: 'da2-build',
    })
  })

  it('ignores an HTML page answered in place of config.json', async () => {
    expect((await loadConfig(env, serve(200, '<!doctype html>'), base)).apiKey).toBe('da2-build')
  })

  it('ignores a config.json without an API URL', async () => {
    expect((await loadConfig(env, serve(200, '{"apiKey":"x"}'), base)).apiKey).toBe('da2-build')
  })

  it('falls back when config.json cannot be fetched at all', async () => {
    const offline: typeof fetch = async () => Promise.reject(new TypeError('Failed to fetch'))
    expect((await loadConfig(env, offline, base)).apiUrl).toBe('https://app.example.com/graphql')
  })

  it('refuses to start without any API URL', async () => {
    await expect(loadConfig({}, serve(404, ''), base)).rejects.toBeInstanceOf(MissingConfigError)
  })
})
