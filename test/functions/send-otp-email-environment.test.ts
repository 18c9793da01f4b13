import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  effectiveDeliveryAttempts,
  readEmailSenderConfig,
} from '../../functions/send-otp-email/config.js'
import {
  fromEnvironment,
  MissingDeadLetterError,
} from '../../functions/send-otp-email/dependencies.js'
import { handler } from '../../functions/send-otp-email/handler.js'
import { classifySesError } from '../../functions/send-otp-email/ses-errors.js'
import { emailSender } from '../../infra/api.js'
import {
  InvalidSettingError,
  loadSettings,
  pickSettings,
  toLambdaEnv,
} from '../../infra/settings.js'
import {
  insertRecord,
  mailTo,
  newSession,
  putSession,
  readSession,
  useEmailEnv,
} from './fixtures/email-env.js'

const env = useEmailEnv()

// The environment the stack gives the Lambda, with settings other than the defaults.
const settings = loadSettings(
  {},
  {
    senderAddress: 'codes@example.org',
    appName: 'Env App',
    codeInSubject: true,
    codeTtlSeconds: 300,
    maxDeliveryAttempts: 3,
  },
)
const lambdaEnv: Record<string, string> = {
  ...toLambdaEnv(settings, 'otp'),
  SES_CONFIGURATION_SET: 'EmailOtp-codes',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/otp-dead-letters',
}

describe('Function: send-otp-email, as Lambda runs it', () => {
  const saved = { ...process.env }
  beforeAll(() => {
    Object.assign(process.env, lambdaEnv, {
      TABLE_NAME: env().tableName,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: env().database.endpoint,
      AWS_ENDPOINT_URL_SES: env().ses.url,
    })
  })
  afterAll(() => {
    process.env = saved
  })

  it('reads its settings and endpoints from the environment', async () => {
    const session = newSession()
    await putSession(env(), session)

    const result = await handler(
      { Records: [insertRecord(session)] },
      { getRemainingTimeInMillis: () => 30_000 },
    )

    expect(result.batchItemFailures).toEqual([])
    const [mail] = await mailTo(env(), session.email)
    expect(mail?.from).toBe('codes@example.org')
    expect(mail?.subject).toBe(`${session.code} is your Env App verification code`)
    expect(mail?.body.text).toContain('expires in 5 minutes')
    expect(await readSession(env(), session.sessionId)).toMatchObject({ delivery: 'SENT' })
  })
})

describe('readEmailSenderConfig', () => {
  it('reads every variable toLambdaEnv writes', () => {
    const config = readEmailSenderConfig(lambdaEnv)
    expect(config).toEqual({
      ...pickSettings(settings, 'emailLambda'),
      tableName: 'otp',
      configurationSet: 'EmailOtp-codes',
      deadLetterQueueUrl: lambdaEnv.DEAD_LETTER_QUEUE_URL,
    })
    expect(config).toMatchObject({
      senderAddress: 'codes@example.org',
      appName: 'Env App',
      codeInSubject: true,
      codeTtlSeconds: 300,
      maxDeliveryAttempts: 3,
    })
  })

  it('gives up no later than the last invocation the event source grants a failing record', () => {
    const setting = { ...lambdaEnv, OTP_MAX_DELIVERY_ATTEMPTS: '20' }

    expect(readEmailSenderConfig(setting).maxDeliveryAttempts).toBe(emailSender.retryAttempts + 1)
    expect(effectiveDeliveryAttempts(20, -1)).toBe(20)
    expect(effectiveDeliveryAttempts(2, 3)).toBe(2)
  })

  it('refuses a sender address that could inject a header', () => {
    expect(() =>
      readEmailSenderConfig({
        ...lambdaEnv,
        OTP_SENDER_ADDRESS: 'a@example.org\r\nBcc: b@example.org',
      }),
    ).toThrow(InvalidSettingError)
  })

  it('refuses a missing table name, configuration set or setting, and a malformed flag', () => {
    const { OTP_APP_NAME: _omitted, ...withoutAppName } = lambdaEnv
    const { SES_CONFIGURATION_SET: _none, ...withoutConfigurationSet } = lambdaEnv
    expect(() => readEmailSenderConfig({ ...lambdaEnv, TABLE_NAME: '' })).toThrow(/TABLE_NAME/)
    expect(() => readEmailSenderConfig(withoutConfigurationSet)).toThrow(/SES_CONFIGURATION_SET/)
    expect(() => readEmailSenderConfig(withoutAppName)).toThrow(/OTP_APP_NAME/)
    expect(() => readEmailSenderConfig({ ...lambdaEnv, OTP_CODE_IN_SUBJECT: 'yes' })).toThrow(
      /OTP_CODE_IN_SUBJECT/,
    )
  })

  it('refuses to start without a dead-letter destination', () => {
    expect(() => fromEnvironment({ ...lambdaEnv, DEAD_LETTER_QUEUE_URL: '' })).toThrow(
      MissingDeadLetterError,
    )
  })
})

describe('classifySesError', () => {
  const serviceError = (name: string, status: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } })

  it('retries throttling, server faults and failures without an answer', () => {
    expect(classifySesError(serviceError('Throttling', 400))).toBe('transient')
    expect(classifySesError(serviceError('TooManyRequestsException', 429))).toBe('transient')
    expect(classifySesError(serviceError('InternalFailure', 500))).toBe('transient')
    expect(classifySesError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(
      'transient',
    )
    expect(classifySesError(Object.assign(new Error('timeout'), { name: 'TimeoutError' }))).toBe(
      'transient',
    )
  })

  it('gives up on rejected mail, unverified senders, paused accounts and other refusals', () => {
    expect(classifySesError(serviceError('MessageRejected', 400))).toBe('permanent')
    expect(classifySesError(serviceError('MailFromDomainNotVerifiedException', 400))).toBe(
      'permanent',
    )
    expect(classifySesError(serviceError('AccountSendingPausedException', 400))).toBe('permanent')
    expect(classifySesError(serviceError('SomethingNew', 400))).toBe('permanent')
  })
})
