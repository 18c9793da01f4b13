import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../infra/api.js'

// The repository's own ESLint configuration, as `npm run lint` applies it to resolvers/. The text
// is linted as if it were resolvers/lint-probe.ts; that file does not exist, so the type-aware
// parser is told to give it the default project (rules and their settings are untouched).
const probe = 'resolvers/lint-probe.ts'
let eslint: ESLint

beforeAll(async () => {
  eslint = new ESLint({
    cwd: repoRoot,
    overrideConfig: {
      files: ['resolvers/**/*.ts'],
      languageOptions: {
        parserOptions: {
          projectService: { allowDefaultProject: [probe] },
          tsconfigRootDir: repoRoot,
        },
      },
    },
  })
  // The first type-aware lint loads the whole TypeScript project (tens of seconds on a busy
  // machine): pay for it here, under the hook timeout, not inside a test.
  await eslint.lintText('export {}\n', { filePath: probe })
})

async function ruleIds(code: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath: probe })
  return (result?.messages ?? []).map((message) => message.ruleId)
}

const resolver = (requestBody: string) => `import type { Context } from '@aws-appsync/utils'

export function request(ctx: Context) {
${requestBody}
}

export function response(ctx: Context) {
  return ctx.result
}
`

describe('Lint rules for resolvers (the AppSync plugin, recommended)', () => {
  it('accepts a resolver that stays within APPSYNC_JS', async () => {
    expect(await ruleIds(resolver('  return { payload: ctx.args }'))).toEqual([])
  })

  it('rejects a resolver that uses try/catch', async () => {
    const code = resolver(
      '  try {\n    return { payload: ctx.args }\n  } catch {\n    return {}\n  }',
    )

    expect(await ruleIds(code)).toEqual(['@aws-appsync/no-try'])
  })

  it('rejects a resolver with a regex literal', async () => {
    const code = resolver('  return { payload: /^[0-9]{6}$/.test(String(ctx.args.code)) }')

    expect(await ruleIds(code)).toEqual(['@aws-appsync/no-regex'])
  })

  it.each([
    [
      'a while loop',
      '  let n = 0\n  while (n < 3) n += 1\n  return { payload: n }',
      '@aws-appsync/no-while',
    ],
    [
      'the ++ operator',
      '  let n = 0\n  n++\n  return { payload: n }',
      '@aws-appsync/no-disallowed-unary-operators',
    ],
    [
      'String.prototype.padStart',
      "  return { payload: String(ctx.args.n).padStart(6, '0') }",
      '@aws-appsync/no-disallowed-methods',
    ],
  ])('rejects a resolver that uses %s', async (_feature, body, rule) => {
    expect(await ruleIds(resolver(body))).toContain(rule)
  })
})
