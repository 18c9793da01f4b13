import { describe, expect, it } from 'vitest'
import { bundleResolverSource } from '../infra/bundle.js'
import { loadResolverBundle } from '../infra/local/appsync/sandbox.js'
import {
  declarationOf,
  defaultSettings,
  encodeSettings,
  InvalidSettingError,
  loadSettings,
  pickSettings,
  readSettings,
  settingKeys,
  settingKeysFor,
  toLambdaEnv,
  toResolverEnv,
  toWebConfig,
  type OtpSettings,
  type Receiver,
  type SettingDeclaration,
} from '../infra/settings.js'
import { decodeSettings } from '../infra/settings/decode.js'
import { readPolicy } from '../resolvers/lib/policy.js'

const receivers: Receiver[] = ['resolvers', 'emailLambda', 'web']

/** A valid value of each string format, other than any default. */
const otherStrings: Record<Extract<SettingDeclaration, { type: 'string' }>['format'], string> = {
  line: 'Other Name',
  emailAddress: 'other@example.org',
  locale: 'ar',
  hexColor: '#0f766e',
  httpsUrl: 'https://brand.example.org/logo.png',
  supportContact: 'help@example.org',
  linkBaseUrl: 'https://app.example.org/verify',
}

/** A valid value other than the default, so that a part that ignored the setting would show. */
function otherValue(declared: SettingDeclaration): OtpSettings[keyof OtpSettings] {
  switch (declared.type) {
    case 'integer':
      return declared.default === declared.max ? declared.min : declared.max
    case 'boolean':
      return !declared.default
    case 'string':
      return otherStrings[declared.format]
  }
}

const otherSettings = Object.fromEntries(
  settingKeys.map((key) => [key, otherValue(declarationOf(key))]),
) as OtpSettings

/** The longest value a setting can take, as its variable carries it. */
function longestEncoded(declared: SettingDeclaration): string {
  switch (declared.type) {
    case 'integer':
      return [String(declared.min), String(declared.max)].sort((a, b) => b.length - a.length)[0]!
    case 'boolean':
      return 'false'
    case 'string':
      return 'x'.repeat(declared.maxLength)
  }
}

const variableOf = (key: keyof OtpSettings) => declarationOf(key).variable

describe('the setting declarations', () => {
  it('give every setting its own OTP_ variable, named after its key', () => {
    const variables = settingKeys.map(variableOf)
    expect(new Set(variables).size).toBe(settingKeys.length)
    for (const key of settingKeys) {
      expect(variableOf(key)).toBe(`OTP_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`)
    }
  })

  it('declare defaults that their own validation accepts', () => {
    expect(loadSettings({})).toEqual(defaultSettings)
    expect(defaultSettings).toMatchObject({
      codeLength: 6,
      codeTtlSeconds: 600,
      maxAttempts: 5,
      resendCooldownSeconds: 30,
    })
  })

  it('hand every setting to at least one part, and name only settings in atLeast', () => {
    for (const key of settingKeys) {
      const declared = declarationOf(key)
      expect(declared.receivers.length, key).toBeGreaterThan(0)
      if (declared.type === 'integer' && declared.atLeast !== undefined) {
        expect(settingKeys, key).toContain(declared.atLeast)
      }
    }
  })
})

describe('loadSettings', () => {
  it('reads every setting from its variable', () => {
    const env = Object.fromEntries(
      settingKeys.map((key) => [variableOf(key), String(otherSettings[key])]),
    )
    expect(loadSettings(env)).toEqual(otherSettings)
  })

  it('puts explicit overrides over the environment', () => {
    expect(loadSettings({ OTP_CODE_LENGTH: '8' }, { codeLength: 9 }).codeLength).toBe(9)
  })

  const integerKeys = settingKeys.filter((key) => declarationOf(key).type === 'integer')
  it.each(integerKeys)('refuses %s one below its minimum and one above its maximum', (key) => {
    const declared = declarationOf(key) as Extract<SettingDeclaration, { type: 'integer' }>
    for (const value of [declared.min - 1, declared.max + 1]) {
      const env = { [declared.variable]: String(value) }
      expect(() => loadSettings(env)).toThrow(InvalidSettingError)
      expect(() => loadSettings(env)).toThrow(
        `${key} (${declared.variable}) must be an integer from ${declared.min} to ${declared.max}`,
      )
    }
  })

  it.each([
    ['a fractional attempt budget', { OTP_MAX_ATTEMPTS: '2.5' }],
    ['a non-number', { OTP_CODE_TTL_SECONDS: 'ten' }],
    ['a hexadecimal number', { OTP_CODE_LENGTH: '0x8' }],
    ['an empty number', { OTP_CODE_LENGTH: '' }],
    ['a sender with a header break', { OTP_SENDER_ADDRESS: 'a@b.com\r\nBcc: x@y.com' }],
    ['a sender without a domain', { OTP_SENDER_ADDRESS: 'no-reply' }],
    ['an app name on two lines', { OTP_APP_NAME: 'Acme\nBcc: x@y.com' }],
    ['a blank app name', { OTP_APP_NAME: '   ' }],
    ['an app name over 80 characters', { OTP_APP_NAME: 'A'.repeat(81) }],
    ['a boolean that is not true or false', { OTP_CODE_IN_SUBJECT: 'yes' }],
    ['a default language the product does not ship', { OTP_DEFAULT_LOCALE: 'fr' }],
    ['a default language given as a region tag', { OTP_DEFAULT_LOCALE: 'de-AT' }],
    ['an empty default language', { OTP_DEFAULT_LOCALE: '' }],
    ['an accent colour by name', { OTP_BRAND_ACCENT_COLOR: 'red' }],
    ['an accent colour closing the style', { OTP_BRAND_ACCENT_COLOR: '#fff;x:expression(1)' }],
    ['an empty accent colour', { OTP_BRAND_ACCENT_COLOR: '' }],
    ['a logo over http', { OTP_BRAND_LOGO_URL: 'http://brand.example/logo.png' }],
    ['a logo as a javascript: URL', { OTP_BRAND_LOGO_URL: 'javascript:alert(1)' }],
    ['a support contact that is neither a page nor an address', { OTP_BRAND_SUPPORT: 'call us' }],
    ['a support page over http', { OTP_BRAND_SUPPORT: 'http://help.example' }],
    ['two support addresses', { OTP_BRAND_SUPPORT: 'a@example.com,b@example.com' }],
    ['a footer on two lines', { OTP_BRAND_FOOTER: 'Acme\nBcc: x@y.com' }],
    ['a footer over 200 characters', { OTP_BRAND_FOOTER: 'A'.repeat(201) }],
    ['a link base over http on a public host', { OTP_LINK_BASE_URL: 'http://app.example/' }],
    ['a link base with a fragment', { OTP_LINK_BASE_URL: 'https://app.example/#x' }],
    ['a link base with credentials', { OTP_LINK_BASE_URL: 'https://u:p@app.example/' }],
    ['a link base that is not a URL', { OTP_LINK_BASE_URL: 'app.example' }],
  ])('refuses %s, naming the variable', (_case, env) => {
    expect(() => loadSettings(env)).toThrow(InvalidSettingError)
    expect(() => loadSettings(env)).toThrow(Object.keys(env)[0] as string)
  })

  it('takes an empty optional string as off, and the brand and link formats it accepts', () => {
    const off = {
      OTP_BRAND_LOGO_URL: '',
      OTP_BRAND_SUPPORT: '',
      OTP_BRAND_FOOTER: '',
      OTP_LINK_BASE_URL: '',
    }
    expect(loadSettings(off)).toMatchObject({
      brandLogoUrl: '',
      brandSupport: '',
      brandFooter: '',
      linkBaseUrl: '',
    })
    const on = {
      OTP_DEFAULT_LOCALE: 'de',
      OTP_BRAND_ACCENT_COLOR: '#0F766E',
      OTP_BRAND_SUPPORT: 'https://help.example/otp?from=mail',
      OTP_LINK_BASE_URL: 'http://localhost:4000/',
    }
    expect(loadSettings(on)).toMatchObject({
      defaultLocale: 'de',
      brandAccentColor: '#0F766E',
      brandSupport: 'https://help.example/otp?from=mail',
      linkBaseUrl: 'http://localhost:4000/',
    })
    expect(loadSettings({ OTP_BRAND_ACCENT_COLOR: '#fff' }).brandAccentColor).toBe('#fff')
  })

  it('refuses a send window shorter than the resend cooldown, naming both variables', () => {
    const env = { OTP_RESEND_COOLDOWN_SECONDS: '60', OTP_SEND_WINDOW_SECONDS: '59' }
    expect(() => loadSettings(env)).toThrow(
      /OTP_SEND_WINDOW_SECONDS.*not below OTP_RESEND_COOLDOWN_SECONDS/,
    )
    expect(loadSettings({ ...env, OTP_SEND_WINDOW_SECONDS: '60' }).sendWindowSeconds).toBe(60)
  })

  it('refuses an out-of-range override given in code', () => {
    expect(() => loadSettings({}, { maxAttempts: 0 })).toThrow('OTP_MAX_ATTEMPTS')
  })
})

describe('the environment of each part', () => {
  it('gives the resolvers the table and exactly the settings declared for them, as strings', () => {
    const env = toResolverEnv(otherSettings, 'otp')
    expect(Object.keys(env).sort()).toEqual(
      ['TABLE_NAME', ...settingKeysFor('resolvers').map(variableOf)].sort(),
    )
    expect(Object.values(env).every((value) => typeof value === 'string')).toBe(true)
    expect(env).toMatchObject({ TABLE_NAME: 'otp', OTP_CODE_LENGTH: '10', OTP_MAX_ATTEMPTS: '20' })
    expect(Object.keys(env)).not.toContain('OTP_SENDER_ADDRESS')
  })

  it('gives the email Lambda the table and exactly the settings declared for it', () => {
    const env = toLambdaEnv(otherSettings, 'otp')
    expect(Object.keys(env).sort()).toEqual(
      ['TABLE_NAME', ...settingKeysFor('emailLambda').map(variableOf)].sort(),
    )
    expect(env).toMatchObject({
      OTP_SENDER_ADDRESS: 'other@example.org',
      OTP_APP_NAME: 'Other Name',
      OTP_CODE_IN_SUBJECT: 'true',
    })
    expect(Object.keys(env)).not.toContain('OTP_CODE_LENGTH')
  })

  it('gives the web app exactly the settings declared for it, typed, under their keys', () => {
    expect(toWebConfig(otherSettings)).toEqual({ defaultLocale: 'ar', appName: 'Other Name' })
    expect(Object.keys(toWebConfig(otherSettings))).toEqual(settingKeysFor('web'))
  })

  it.each(receivers)('round-trips every setting of %s through its environment', (receiver) => {
    const decoded = decodeSettings(encodeSettings(otherSettings, receiver), receiver)
    expect(decoded).toEqual(pickSettings(otherSettings, receiver))
    expect(Object.keys(decoded)).toEqual(settingKeysFor(receiver))
  })

  it('hands the resolvers every setting under its key in readPolicy, with the derived durations', () => {
    const policy = readPolicy(toResolverEnv(otherSettings, 'otp'))
    expect(policy).toMatchObject(pickSettings(otherSettings, 'resolvers'))
    expect(policy).toMatchObject({
      tableName: 'otp',
      codeTtlMs: otherSettings.codeTtlSeconds * 1000,
      cooldownMs: otherSettings.resendCooldownSeconds * 1000,
      sendWindowMs: otherSettings.sendWindowSeconds * 1000,
    })
  })
})

describe('readSettings (what the email Lambda checks at start)', () => {
  const lambdaEnv = toLambdaEnv(otherSettings, 'otp')

  it('reads and checks every variable toLambdaEnv writes', () => {
    expect(readSettings(lambdaEnv, 'emailLambda')).toEqual(
      pickSettings(otherSettings, 'emailLambda'),
    )
  })

  it('refuses a missing variable, naming it', () => {
    const { OTP_APP_NAME: _omitted, ...env } = lambdaEnv
    expect(() => readSettings(env, 'emailLambda')).toThrow('appName (OTP_APP_NAME) must be set')
  })

  it('refuses a malformed or out-of-range variable, naming it', () => {
    expect(() => readSettings({ ...lambdaEnv, OTP_CODE_IN_SUBJECT: 'yes' }, 'emailLambda')).toThrow(
      'OTP_CODE_IN_SUBJECT',
    )
    expect(() =>
      readSettings({ ...lambdaEnv, OTP_MAX_DELIVERY_ATTEMPTS: '0' }, 'emailLambda'),
    ).toThrow('OTP_MAX_DELIVERY_ATTEMPTS')
  })
})

describe("the resolvers' environment within AppSync's limits", () => {
  // PutGraphqlApiEnvironmentVariables: keys begin with a letter, are at least two characters of
  // letters, digits and underscores; values are strings of up to 512 characters; 50 pairs at most.
  const env = toResolverEnv(defaultSettings, 'otp')

  it('uses keys AppSync accepts', () => {
    for (const key of Object.keys(env)) expect(key).toMatch(/^[A-Za-z][A-Za-z0-9_]+$/)
  })

  it('stays within 50 variables', () => {
    expect(Object.keys(env).length).toBeLessThanOrEqual(50)
  })

  it('keeps every value within 512 characters, at the longest each setting allows', () => {
    for (const key of settingKeysFor('resolvers')) {
      expect(longestEncoded(declarationOf(key)).length, key).toBeLessThanOrEqual(512)
    }
  })

  it("keeps the Lambda's environment within Lambda's 4 KB, table and queue URL included", () => {
    const longest = Object.fromEntries(
      settingKeysFor('emailLambda').map((key) => [
        variableOf(key),
        longestEncoded(declarationOf(key)),
      ]),
    )
    const deployed = {
      ...longest,
      TABLE_NAME: 'x'.repeat(255),
      DEAD_LETTER_QUEUE_URL: `https://sqs.ap-southeast-2.amazonaws.com/123456789012/${'q'.repeat(
        80,
      )}`,
    }
    const size = Object.entries(deployed).reduce((sum, [k, v]) => sum + k.length + v.length, 0)
    expect(size).toBeLessThanOrEqual(4096)
  })
})

describe('the decoder in a resolver bundle', () => {
  it('decodes every resolver setting on the APPSYNC_JS runtime, from the bundle CDK deploys', async () => {
    const code = await bundleResolverSource('test/fixtures/settings/read-policy.ts')
    const bundle = await loadResolverBundle('readPolicyFixture', code)
    const env = toResolverEnv(otherSettings, 'otp')

    const report = bundle.invoke({
      handler: 'request',
      authType: 'API_KEY',
      ctx: { env, stash: {} },
    })

    expect(report.outcome).toEqual({ kind: 'return', value: { payload: readPolicy(env) } })
  })

  it('carries only the variable and type of the resolvers’ settings, no docs text', async () => {
    const code = await bundleResolverSource('resolvers/steps/otpPolicy/1.describePolicy.ts')
    for (const key of settingKeys) {
      const declared = declarationOf(key)
      expect(code.includes(declared.meaning), key).toBe(false)
      expect(code.includes(`"${declared.variable}"`), key).toBe(
        settingKeysFor('resolvers').includes(key),
      )
    }
  })
})
