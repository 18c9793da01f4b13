import { describe, expect, it } from 'vitest'
import {
  defaultSettings,
  InvalidSettingError,
  loadSettings,
  toLambdaEnv,
  toResolverEnv,
} from '../infra/settings.js'

describe('settings', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(loadSettings({})).toEqual(defaultSettings)
    expect(defaultSettings).toMatchObject({
      codeLength: 6,
      codeTtlSeconds: 600,
      maxAttempts: 5,
      resendCooldownSeconds: 30,
    })
  })

  it('reads overrides from environment variables', () => {
    const settings = loadSettings({
      OTP_CODE_LENGTH: '8',
      OTP_CODE_IN_SUBJECT: 'true',
      OTP_APP_NAME: 'Acme',
    })
    expect(settings).toMatchObject({ codeLength: 8, codeInSubject: true, appName: 'Acme' })
  })

  it.each([
    ['a code length below 4', { OTP_CODE_LENGTH: '3' }],
    ['a code length above 10', { OTP_CODE_LENGTH: '11' }],
    ['a fractional attempt budget', { OTP_MAX_ATTEMPTS: '2.5' }],
    ['a non-number', { OTP_CODE_TTL_SECONDS: 'ten' }],
    ['a sender with a header break', { OTP_SENDER_ADDRESS: 'a@b.com\r\nBcc: x@y.com' }],
    ['an app name on two lines', { OTP_APP_NAME: 'Acme\nBcc: x@y.com' }],
    ['a boolean that is not true or false', { OTP_CODE_IN_SUBJECT: 'yes' }],
  ])('refuses %s, naming the variable', (_case, env) => {
    expect(() => loadSettings(env)).toThrow(InvalidSettingError)
    expect(() => loadSettings(env)).toThrow(Object.keys(env)[0] as string)
  })

  it('hands the resolvers strings only, as AppSync environment variables must be', () => {
    const env = toResolverEnv(defaultSettings, 'otp')
    expect(Object.values(env).every((value) => typeof value === 'string')).toBe(true)
    expect(env).toMatchObject({
      TABLE_NAME: 'otp',
      CODE_LENGTH: '6',
      MAX_ATTEMPTS: '5',
      CODE_TTL_SECONDS: '600',
    })
  })

  it('gives the Lambda the sender and app name, and the resolvers neither', () => {
    expect(toLambdaEnv(defaultSettings, 'otp')).toMatchObject({
      SENDER_ADDRESS: 'no-reply@example.com',
      APP_NAME: 'Example App',
    })
    expect(Object.keys(toResolverEnv(defaultSettings, 'otp'))).not.toContain('SENDER_ADDRESS')
  })
})
