import { buildResolverBundles } from '../infra/bundle.js'

const bundles = await buildResolverBundles()
for (const [name, code] of [...bundles].sort())
  console.log(`${name.padEnd(34)} ${String(code.length).padStart(6)} chars`)
