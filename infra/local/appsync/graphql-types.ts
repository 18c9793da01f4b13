/** A GraphQL request and response as they cross the HTTP boundary, in AppSync's shape. */
import type { AppSyncErrorEntry } from './errors.js'

export interface GraphqlRequest {
  query: string
  variables?: Record<string, unknown> | null
  operationName?: string | null
}

/** A response body as AppSync sends it. */
export interface GraphqlResponseBody {
  data: Record<string, unknown> | null
  errors?: AppSyncErrorEntry[]
}
