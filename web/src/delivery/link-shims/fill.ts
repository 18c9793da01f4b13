/**
 * Fills registry.ts with the exports the real-time client's CommonJS code uses from Apollo and
 * graphql. Requiring ES modules from CommonJS would make the bundler wrap them, and everything they
 * import, in lazy initialisers inside the first visit's chunk (about 2 KB gzipped); handing the
 * values over here keeps both the app's modules and its chunk as they are.
 * Import this before aws-appsync-subscription-link (api-channel.ts imports that only afterwards).
 */
import { ApolloError, ApolloLink, Observable } from '@apollo/client/core'
import { setContext } from '@apollo/client/link/context'
import { createHttpLink } from '@apollo/client/link/http'
import { getMainDefinition } from '@apollo/client/utilities'
import { print } from 'graphql'
import { provide } from './registry.js'

/**
 * The link builds its error objects by spreading `new GraphQLError(message)`; graphql's own class
 * would pull its location printer into the first visit's chunk. Same enumerable `message`.
 */
class GraphQLError extends Error {
  constructor(message: string) {
    super(message)
    Object.defineProperty(this, 'message', { value: message, enumerable: true })
  }
}

// aws-appsync-auth-link's signer sets `global.Buffer` when it loads, as in Node.
;(globalThis as { global?: unknown }).global ??= globalThis

provide({
  ApolloError,
  ApolloLink,
  Observable,
  setContext,
  createHttpLink,
  getMainDefinition,
  GraphQLError,
  print,
})
