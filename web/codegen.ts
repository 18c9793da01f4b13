// Generates web/src/graphql/generated.ts: result and variable types of the app's operations, and
// the operations themselves as parsed documents (so the app ships no GraphQL parser); and
// web/src/delivery/generated.ts, the same for the operations of the lazily loaded delivery chunk.
import type { CodegenConfig } from '@graphql-codegen/cli'

const output = (documents: string) => ({
  documents: [`web/src/${documents}`],
  plugins: [
    {
      add: {
        content: `/* Generated from schema.graphql and ${documents} by \`npm run codegen:web\`. Do not edit. */`,
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
})

const config: CodegenConfig = {
  schema: ['infra/appsync.graphql', 'schema.graphql'],
  hooks: { afterOneFileWrite: ['prettier --write'] },
  generates: {
    'web/src/graphql/generated.ts': output('graphql/operations.graphql'),
    'web/src/delivery/generated.ts': output('delivery/delivery.graphql'),
  },
}
export default config
