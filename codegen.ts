// Generates generated/graphql.ts from schema.graphql: the one file of types nobody edits.
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: ['infra/appsync.graphql', 'schema.graphql'],
  generates: {
    'generated/graphql.ts': {
      plugins: [
        {
          add: {
            content: '/* Generated from schema.graphql by `npm run codegen`. Do not edit. */',
          },
        },
        'typescript',
      ],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: {
          AWSDate: 'string',
          AWSTime: 'string',
          AWSDateTime: 'string',
          AWSTimestamp: 'number',
          AWSEmail: 'string',
          AWSJSON: 'string',
          AWSURL: 'string',
          AWSPhone: 'string',
          AWSIPAddress: 'string',
        },
      },
    },
  },
}
export default config
