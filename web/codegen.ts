// Generates web/src/graphql/generated.ts: result and variable types of the app's operations.
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: ['infra/appsync.graphql', 'schema.graphql'],
  documents: ['web/src/graphql/operations.ts'],
  hooks: { afterOneFileWrite: ['prettier --write'] },
  generates: {
    'web/src/graphql/generated.ts': {
      plugins: [
        {
          add: {
            content:
              '/* Generated from schema.graphql and operations.ts by `npm run codegen:web`. Do not edit. */',
          },
        },
        'typescript-operations',
      ],
      config: {
        enumType: 'string-literal',
        useTypeImports: true,
        scalars: {
          AWSDateTime: 'string',
          AWSEmail: 'string',
        },
      },
    },
  },
}
export default config
