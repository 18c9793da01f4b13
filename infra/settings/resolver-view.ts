/**
 * What a resolver bundle carries of the setting declarations: for each setting the resolvers
 * receive, the `variable` and `type` that `decodeSettings` reads, and nothing else.
 *
 * Why: every bundle that reads the policy would otherwise carry the whole declaration list, docs
 * text and the other parts' settings included, with its inline source map: about 500 characters
 * per setting, of the 32,768 AppSync accepts per bundle. The resolvers still decode by the one
 * declaration; the bundle only leaves out what they never read.
 */
import type { Plugin } from 'esbuild'
import { receives } from './decode.js'
import { settingDeclarations, type SettingDeclaration } from './declaration.js'

/** The declarations as the resolver bundles see them. */
export function resolverDeclarations(): Record<
  string,
  Pick<SettingDeclaration, 'variable' | 'type' | 'receivers'>
> {
  const entries = Object.entries(settingDeclarations) as [string, SettingDeclaration][]
  return Object.fromEntries(
    entries
      .filter(([, declared]) => receives(declared, 'resolvers'))
      .map(([key, { variable, type }]) => [key, { variable, type, receivers: ['resolvers'] }]),
  )
}

/** esbuild plugin: loads `settings/declaration.ts` as {@link resolverDeclarations}. */
export const resolverDeclarationsPlugin: Plugin = {
  name: 'resolver-setting-declarations',
  setup(build) {
    // One string literal: its source map needs one mapping instead of one per token.
    const json = JSON.stringify(JSON.stringify(resolverDeclarations()))
    build.onLoad({ filter: /[\\/]infra[\\/]settings[\\/]declaration\.ts$/ }, () => ({
      contents: `export const settingDeclarations = JSON.parse(${json})\n`,
      loader: 'js',
    }))
  },
}
