/**
 * Parsed and validated documents by query text: parsing and validating cost more than running a
 * small pipeline, and clients send the same few documents again and again.
 */
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql'
import type { GraphqlResponseBody } from './graphql-types.js'
import { syntaxErrorEntry, validationErrorEntry } from './request-errors.js'

const MAX_CACHED_DOCUMENTS = 500

/** Returns a function that gives the document for a query, or the error response to send instead. */
export function createDocumentCache(
  schema: GraphQLSchema,
): (query: string) => DocumentNode | GraphqlResponseBody {
  const documents = new Map<string, DocumentNode | GraphqlResponseBody>()
  return (query: string): DocumentNode | GraphqlResponseBody => {
    const cached = documents.get(query)
    if (cached) return cached
    let prepared: DocumentNode | GraphqlResponseBody
    try {
      const document = parse(query)
      const invalid = validate(schema, document)
      prepared =
        invalid.length > 0
          ? { data: null, errors: invalid.map((error) => validationErrorEntry(error, document)) }
          : document
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error
      prepared = { data: null, errors: [syntaxErrorEntry(error)] }
    }
    if (documents.size >= MAX_CACHED_DOCUMENTS)
      documents.delete(documents.keys().next().value as string)
    documents.set(query, prepared)
    return prepared
  }
}
