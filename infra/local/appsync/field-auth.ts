/**
 * Field-level authorization from AppSync's directives. A field's own auth directives win over its
 * type's; a type or field with none allows only the API's default mode (AppSync: additional modes
 * must be granted explicitly, and a directive replaces the default rather than adding to it).
 */
import type { GraphQLField, GraphQLObjectType } from 'graphql'

export type AuthMode =
  | 'API_KEY'
  | 'AWS_IAM'
  | 'OPENID_CONNECT'
  | 'AMAZON_COGNITO_USER_POOLS'
  | 'AWS_LAMBDA'

const directiveModes: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_lambda: 'AWS_LAMBDA',
}

/** What `util.authType()` returns for each mode. */
export const authTypeNames: Record<AuthMode, string> = {
  API_KEY: 'API Key Authorization',
  AWS_IAM: 'IAM Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  AWS_LAMBDA: 'Lambda Authorization',
}

function modesOf(
  node: { directives?: readonly { name: { value: string } }[] } | null | undefined,
): AuthMode[] {
  const modes: AuthMode[] = []
  for (const directive of node?.directives ?? []) {
    const mode = directiveModes[directive.name.value]
    if (mode && !modes.includes(mode)) modes.push(mode)
  }
  return modes
}

/** The modes allowed to resolve `field` of `type` in an API whose default mode is `defaultMode`. */
export function allowedModes(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  defaultMode: AuthMode,
): AuthMode[] {
  const own = modesOf(field.astNode)
  if (own.length > 0) return own
  const typeModes = [type.astNode, ...(type.extensionASTNodes ?? [])].flatMap((node) =>
    modesOf(node),
  )
  return typeModes.length > 0 ? [...new Set(typeModes)] : [defaultMode]
}
