import { ApolloCache } from '@apollo/client/core'
import type { Cache, Transaction } from '@apollo/client/core'

/**
 * An Apollo cache that keeps nothing. Every call the app makes changes server state or must be
 * fresh, and runs with `fetchPolicy: 'no-cache'` (the client's defaults, see `apollo.ts`), so
 * Apollo never reads or writes a cache; `InMemoryCache` would add about 10 KB (gzip) to the page
 * for nothing. Reads find nothing, writes are dropped.
 */
export class NoCache extends ApolloCache<null> {
  read(): null {
    return null
  }
  write(): undefined {
    return undefined
  }
  diff<T>(): Cache.DiffResult<T> {
    return { result: undefined, complete: false } as Cache.DiffResult<T>
  }
  watch(): () => void {
    return () => undefined
  }
  async reset(): Promise<void> {}
  evict(): boolean {
    return false
  }
  restore(): this {
    return this
  }
  extract(): null {
    return null
  }
  removeOptimistic(): void {}
  performTransaction(transaction: Transaction<null>): void {
    transaction(this)
  }
}
