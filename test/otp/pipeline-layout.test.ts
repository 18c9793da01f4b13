import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pipelineResolvers, repoRoot } from '../../infra/api.js'

/** Every file under resolvers/steps/, as `<fieldName>/<file>`. */
async function stepFiles(): Promise<string[]> {
  const root = join(repoRoot, 'resolvers/steps')
  const folders = await readdir(root)
  const nested = await Promise.all(
    folders.map(async (folder) => (await readdir(join(root, folder))).map((f) => `${folder}/${f}`)),
  )
  return nested.flat().sort()
}

describe('Pipeline layout: the step files show the order infra/api.ts declares', () => {
  it('has one file per declared step, named <position>.<step>.ts in its resolver field folder', async () => {
    const declared = pipelineResolvers.flatMap((resolver) =>
      resolver.steps.map((step, index) => `${resolver.fieldName}/${index + 1}.${step}.ts`),
    )

    expect(await stepFiles()).toEqual(declared.sort())
  })
})
