import { readFile } from 'node:fs/promises'
import { generate } from '@graphql-codegen/cli'
import { describe, expect, it } from 'vitest'
import config from '../codegen.js'

describe('generated/graphql.ts', () => {
  it('matches what npm run codegen generates from schema.graphql (nobody edits it by hand)', async () => {
    const outputs = (await generate({ ...config, silent: true }, false)) as {
      filename: string
      content: string
    }[]
    const expected = outputs.find((output) => output.filename === 'generated/graphql.ts')
    expect(expected).toBeDefined()
    const committed = await readFile(new URL('../generated/graphql.ts', import.meta.url), 'utf8')
    expect(committed.trim()).toBe(expected?.content.trim())
  })
})
