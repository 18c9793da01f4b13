/**
 * The live delivery state on the code step: a sentence per state, the way to fix a bounced
 * address right there, and one polite announcement per change (none for a state that a newer one
 * replaces within a second).
 */
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import DeliveryStatus from '../../web/src/components/DeliveryStatus.vue'
import type { Delivery, DeliveryChannel } from '../../web/src/delivery/watch-delivery.js'
import { appI18n } from './support.js'

type Handlers = Parameters<NonNullable<DeliveryChannel['subscribe']>>[0]

async function mountStatus(locale: 'en' | 'ar' = 'en') {
  let handlers: Handlers | undefined
  const channel: DeliveryChannel = {
    read: async () => null,
    subscribe: (h) => ((handlers = h), () => undefined),
  }
  const wrapper = mount(DeliveryStatus, {
    props: {
      challenge: { sessionId: 'session-1', email: 'ada@example.com' },
      channelFor: () => channel,
    },
    global: { plugins: [await appI18n(locale)] },
  })
  const push = async (delivery: Delivery) => {
    handlers?.update(delivery)
    await vi.advanceTimersByTimeAsync(0)
  }
  const shown = () => wrapper.find('[data-testid="delivery"] p').text()
  const announced = () => wrapper.find('[data-testid="live-delivery"]').text()
  return { wrapper, push, shown, announced }
}

beforeEach(() => void vi.useFakeTimers())
afterEach(() => void vi.useRealTimers())

describe('Component: DeliveryStatus', () => {
  it('says Sending… until the first state, and announces nothing for it', async () => {
    const { shown, announced } = await mountStatus()
    await vi.advanceTimersByTimeAsync(2_000)

    expect(shown()).toBe('Sending…')
    expect(announced()).toBe('')
  })

  it('announces DELIVERED once, and not the SENT it replaced within a second', async () => {
    const { push, shown, announced } = await mountStatus()
    await push({ status: 'SENT' })
    expect(shown()).toBe('Sent')
    await vi.advanceTimersByTimeAsync(300)
    await push({ status: 'DELIVERED' })
    expect(announced()).toBe('')

    await vi.advanceTimersByTimeAsync(1_000)

    expect(shown()).toBe('Delivered to your mail provider — it should be in your inbox')
    expect(announced()).toBe(shown())
  })

  it('shows and announces a bounce at once, naming the address, with the way to change it', async () => {
    const { wrapper, push, shown, announced } = await mountStatus()
    await push({ status: 'BOUNCED', reason: 'MAILBOX_DOES_NOT_EXIST' })

    expect(shown()).toBe('ada@example.com can’t receive mail. Check it for typos.')
    expect(announced()).toBe(shown())
    await wrapper.find('button').trigger('click')
    expect(wrapper.emitted('change')).toHaveLength(1)
  })

  it('announces the states of a new code again after a resend', async () => {
    const { wrapper, push, announced } = await mountStatus()
    await push({ status: 'DELIVERED' })
    await vi.advanceTimersByTimeAsync(1_000)
    expect(announced()).toContain('Delivered')

    // A resend: OtpSignIn passes the new challenge.
    const resent = { challenge: { sessionId: 'session-2', email: 'ada@example.com' } }
    await wrapper.setProps(resent as Parameters<typeof wrapper.setProps>[0])
    expect(announced()).toBe('')
    await push({ status: 'DELIVERED' })
    await vi.advanceTimersByTimeAsync(1_000)

    expect(announced()).toContain('Delivered')
  })

  it.each<[Delivery['status'], string]>([
    ['DELAYED', 'Your provider is delaying this mail; it may take a few minutes'],
    [
      'COMPLAINED',
      'The mail to ada@example.com was reported as spam, so we won’t send it more codes. Use another address.',
    ],
    ['FAILED', 'We couldn’t send the mail. Send a new code to try again.'],
  ])('has a sentence of its own for %s', async (status, sentence) => {
    const { push, shown } = await mountStatus()
    await push({ status })
    expect(shown()).toBe(sentence)
  })

  it('keeps the address left to right inside an Arabic sentence', async () => {
    const { push, shown } = await mountStatus('ar')
    await push({ status: 'BOUNCED' })
    expect(shown()).toContain('\u2068ada@example.com\u2069')
  })
})
