import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import {
  challenge,
  heldAnswer,
  mountSignIn,
  networkFailure,
  scriptedApi,
  settle,
} from './support.js'

let mounted: VueWrapper | undefined
afterEach(() => mounted?.unmount())

function emailStep(script: Parameters<typeof scriptedApi>[0] = {}) {
  const api = scriptedApi(script)
  mounted = mountSignIn(api.link).wrapper
  return { wrapper: mounted, calls: api.calls }
}

describe('Component: EmailStep', () => {
  it('says nothing about the address until the field is left, then validates as you type', async () => {
    const { wrapper } = emailStep()
    const email = wrapper.find('#email')
    await email.setValue('ada@')
    expect(wrapper.find('#email-problem').exists()).toBe(false)

    await email.trigger('blur')
    expect(wrapper.find('#email-problem').text()).toBe(
      'Enter a valid email address, like name@example.com.',
    )
    expect(email.attributes('aria-invalid')).toBe('true')
    expect(email.attributes('aria-describedby')).toBe('email-problem')

    await email.setValue('ada@example.com')
    expect(wrapper.find('#email-problem').exists()).toBe(false)
  })

  it('refuses to send an empty or malformed address and keeps focus on the field', async () => {
    const { wrapper, calls } = emailStep()
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#email-problem').text()).toBe('Enter your email address.')

    await wrapper.find('#email').setValue(`${'a'.repeat(250)}@example.com`)
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#email-problem').text()).toBe('Use an address of at most 254 characters.')
    expect(document.activeElement?.id).toBe('email')
    expect(calls).toEqual([])
  })

  it('shows a busy button while the code is being sent', async () => {
    const held = heldAnswer(challenge())
    const { wrapper } = emailStep({ RequestOtp: [held.answer] })
    await wrapper.find('#email').setValue('ada@example.com')
    await wrapper.find('form').trigger('submit')
    await settle()

    const button = wrapper.find('button[type="submit"]')
    expect(button.text()).toBe('Sending…')
    expect(button.attributes('disabled')).toBeDefined()
    expect(button.attributes('aria-busy')).toBe('true')
    expect(wrapper.find('form').attributes('aria-busy')).toBe('true')

    held.release()
    await settle()
    expect(wrapper.find('#code').exists()).toBe(true)
  })

  it('gives focus back to the address field when sending fails', async () => {
    const { wrapper } = emailStep({ RequestOtp: [networkFailure] })
    await wrapper.find('#email').setValue('ada@example.com')
    const button = wrapper.find<HTMLButtonElement>('button[type="submit"]')
    button.element.focus()
    await button.trigger('click')
    await settle()

    expect(wrapper.find('[data-testid="status"]').text()).toContain('We couldn’t reach the server.')
    expect(document.activeElement?.id).toBe('email')
  })
})
