// Generates web/src/graphql/generated.ts: result and variable types of the app's operations, and
// the operations themselves as parsed documents (so the app ships no GraphQL parser).
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: ['infra/appsync.graphql', 'schema.graphql'],
  documents: ['web/src/graphql/operations.graphql'],
  hooks: { afterOneFileWrite: ['prettier --write'] },
  generates: {
    'web/src/graphql/generated.ts': {
      plugins: [
        {
          add: {
            content:
              '/* Generated from schema.graphql and operations.graphql by `npm run codegen:web`. Do not edit. */',
          },
        },
        'typescript-operations',
        'typed-document-node',
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
