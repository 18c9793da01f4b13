import { hasInjectionContext, inject, onScopeDispose, ref } from 'vue'
import type { InjectionKey, Ref } from 'vue'

/** Provide a `Ref<number>` (epoch ms) under this key to drive every countdown below it yourself (tests, storybooks). */
export const nowKey: InjectionKey<Readonly<Ref<number>>> = Symbol('now')

/**
 * The current time in epoch milliseconds, refreshed every `intervalMs` while the calling
 * scope lives. Returns the clock provided under {@link nowKey} instead when there is one.
 * A quarter-second tick keeps whole-second countdowns within 250 ms of the truth; views
 * still re-render once a second, as computed seconds change only then.
 */
export function useNow(intervalMs = 250): Readonly<Ref<number>> {
  const provided = hasInjectionContext() ? inject(nowKey, null) : null
  if (provided) return provided
  const now = ref(Date.now())
  const timer = setInterval(() => (now.value = Date.now()), intervalMs)
  onScopeDispose(() => clearInterval(timer))
  return now
}
