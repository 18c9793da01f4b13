import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import type { VueWrapper } from '@vue/test-utils'
import VerifiedStep from '../../web/src/components/VerifiedStep.vue'
import { appI18n, iso } from './support.js'

const english = await appI18n('en')
let mounted: VueWrapper | undefined
afterEach(() => {
  mounted?.unmount()
  vi.restoreAllMocks()
})

function verifiedStep(expiresIn = 300) {
  mounted = mount(VerifiedStep, {
    attachTo: document.body,
    global: { plugins: [english] },
    props: { email: 'ada@example.com', token: 'tok_abc', expiresAt: iso(300), expiresIn },
  })
  return mounted
}

describe('Component: VerifiedStep', () => {
  it('copies the verification token to the clipboard', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue()
    const wrapper = verifiedStep()
    await wrapper.find('button').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('button').text()).toBe('Copied'))
    expect(writeText).toHaveBeenCalledWith('tok_abc')
  })

  it('says how to copy by hand when the clipboard refuses', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'))
    const wrapper = verifiedStep()
    await wrapper.find('button').trigger('click')
    await vi.waitFor(() =>
      expect(wrapper.text()).toContain('select the token and copy it yourself'),
    )
  })

  it('keeps the ticking expiry out of every live region', async () => {
    const wrapper = verifiedStep(300)
    expect(wrapper.find('[data-testid="token-expiry"]').text()).toContain('expires in 5:00')
    await wrapper.setProps({ expiresIn: 299 })
    expect(wrapper.find('[data-testid="token-expiry"]').text()).toContain('expires in 4:59')
    expect(wrapper.find('[data-testid="token-expiry"]').attributes('role')).toBeUndefined()
    expect(wrapper.find('[data-testid="token-expiry"]').attributes('aria-live')).toBeUndefined()
    for (const live of wrapper.findAll('[role="status"], [aria-live]'))
      expect(live.text()).not.toContain('expires in')
  })

  it('says when the token has expired', () => {
    expect(verifiedStep(0).text()).toContain(
      'This token has expired; verify again to get a new one.',
    )
  })

  it('offers to verify another address', async () => {
    const wrapper = verifiedStep()
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Verify another address')
      ?.trigger('click')
    expect(wrapper.emitted('startOver')).toHaveLength(1)
  })
})
