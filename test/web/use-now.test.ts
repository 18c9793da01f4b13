import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { defineComponent, h } from 'vue'
import { nowKey, useNow } from '../../web/src/composables/useNow.js'

afterEach(() => vi.useRealTimers())

describe('Composable: useNow', () => {
  it('follows the system clock and stops when its scope ends', () => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') })
    const scope = effectScope()
    const now = scope.run(() => useNow())!
    const started = now.value

    vi.advanceTimersByTime(3_000)
    expect(now.value - started).toBe(3_000)

    scope.stop()
    vi.advanceTimersByTime(5_000)
    expect(now.value - started).toBe(3_000)
  })

  it('returns the clock a parent provides', () => {
    const clock = ref(42)
    let seen: number | undefined
    const Probe = defineComponent({
      setup() {
        const now = useNow()
        return () => h('span', (seen = now.value))
      },
    })
    mount(Probe, { global: { provide: { [nowKey as symbol]: clock } } })
    expect(seen).toBe(42)
  })
})
