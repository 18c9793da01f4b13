/**
 * What aws-appsync-subscription-link and aws-appsync-auth-link get for each `require` of Apollo or
 * graphql in the browser build (see appsyncLinkImports in web/vite.config.ts): live bindings that
 * fill.ts sets from the app's own modules before either package is evaluated.
 */
export let ApolloError: unknown
export let ApolloLink: unknown
export let Observable: unknown
export let setContext: unknown
export let createHttpLink: unknown
export let getMainDefinition: unknown
export let GraphQLError: unknown
export let print: unknown

type Exports = Record<
  | 'ApolloError'
  | 'ApolloLink'
  | 'Observable'
  | 'setContext'
  | 'createHttpLink'
  | 'getMainDefinition'
  | 'GraphQLError'
  | 'print',
  unknown
>

/** Sets every binding; called once, by fill.ts. */
export function provide(values: Exports): void {
  ;({
    ApolloError,
    ApolloLink,
    Observable,
    setContext,
    createHttpLink,
    getMainDefinition,
    GraphQLError,
    print,
  } = values)
}
