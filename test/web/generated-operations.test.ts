import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generate } from '@graphql-codegen/cli'
import prettier from 'prettier'
import { describe, expect, it } from 'vitest'
import config from '../../web/codegen.js'

describe.each(['web/src/graphql/generated.ts', 'web/src/delivery/generated.ts'])('%s', (file) => {
  it('matches what npm run codegen:web makes of its operations (nobody edits it by hand)', async () => {
    const outputs = (await generate({ ...config, silent: true }, false)) as {
      filename: string
      content: string
    }[]
    const generated = outputs.find((output) => output.filename === file)
    expect(generated).toBeDefined()
    // codegen:web formats what it writes with Prettier; so does this comparison.
    const path = join(process.cwd(), file)
    const expected = prettier.format(generated?.content ?? '', {
      ...(await prettier.resolveConfig(path)),
      filepath: path,
    })
    expect(await readFile(path, 'utf8')).toBe(expected)
  })
})
