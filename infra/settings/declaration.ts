/**
 * Every deploy-time setting, declared once: its key, the one environment variable that carries
 * it, its default, the values it accepts, the parts that receive it and what it means.
 *
 * Everything else derives from this list: the `OtpSettings` type, defaults and validation
 * (`infra/settings.ts`), the resolvers' `ctx.env` and the email Lambda's environment (both keyed
 * by `variable`, the same name that overrides the setting for `npm start`, tests and `cdk synth`),
 * the web app's `config.json`, and the table in `docs/settings.md` (`npm run docs:settings`).
 * Adding a setting is one entry here plus the code that reads it; see docs/settings.md.
 *
 * Keep it plain data: `decode.ts`, which APPSYNC_JS runs, reads it (resolver bundles carry only
 * the part they read, see `resolver-view.ts`). Checks that need code, such as a string format's
 * regular expression, live in `accepts.ts`.
 */

/** The parts a setting can reach. */
export type Receiver =
  /** The APPSYNC_JS resolvers, as AppSync environment variables (`ctx.env`, strings). */
  | 'resolvers'
  /** The email Lambda, as Lambda environment variables (strings). */
  | 'emailLambda'
  /** The web app, in its `config.json` under the setting's key (JSON values). */
  | 'web'

interface Declared {
  /** `OTP_...`: overrides the default, and is the key in `ctx.env` and in the Lambda's environment. */
  variable: string
  receivers: readonly Receiver[]
  /** One sentence for the docs table. */
  meaning: string
}

/** A whole number from `min` to `max`, and not below the setting named by `atLeast`. */
export interface IntegerDeclaration extends Declared {
  type: 'integer'
  default: number
  min: number
  max: number
  atLeast?: string
}

/** `true` or `false`. */
export interface BooleanDeclaration extends Declared {
  type: 'boolean'
  default: boolean
}

/**
 * Text of at most `maxLength` characters, in a format checked when the settings load (the checks
 * and their words are in `accepts.ts`):
 * - `line`: one non-blank line;
 * - `emailAddress`: a plain address fit for a mail header;
 * - `locale`: a language the product ships (`infra/locales.ts`);
 * - `hexColor`: `#rgb` or `#rrggbb`;
 * - `httpsUrl`: an absolute https URL;
 * - `supportContact`: an https URL or a plain email address;
 * - `linkBaseUrl`: an https URL without a fragment (or http on localhost, for the local stack).
 *
 * An `optional` setting may also be empty, which turns off what it adds.
 */
export interface StringDeclaration extends Declared {
  type: 'string'
  format:
    | 'line'
    | 'emailAddress'
    | 'locale'
    | 'hexColor'
    | 'httpsUrl'
    | 'supportContact'
    | 'linkBaseUrl'
  default: string
  maxLength: number
  optional?: boolean
}

export type SettingDeclaration = IntegerDeclaration | BooleanDeclaration | StringDeclaration

export const settingDeclarations = {
  codeLength: {
    variable: 'OTP_CODE_LENGTH',
    type: 'integer',
    default: 6,
    min: 4,
    max: 10,
    receivers: ['resolvers'],
    meaning: 'Digits in a code.',
  },
  codeTtlSeconds: {
    variable: 'OTP_CODE_TTL_SECONDS',
    type: 'integer',
    default: 600,
    min: 1,
    max: 3600,
    receivers: ['resolvers', 'emailLambda'],
    meaning: "Seconds a code stays valid (NIST SP 800-63B's ceiling is 600).",
  },
  maxAttempts: {
    variable: 'OTP_MAX_ATTEMPTS',
    type: 'integer',
    default: 5,
    min: 1,
    max: 20,
    receivers: ['resolvers'],
    meaning: 'Code checks a session may evaluate before it locks.',
  },
  resendCooldownSeconds: {
    variable: 'OTP_RESEND_COOLDOWN_SECONDS',
    type: 'integer',
    default: 30,
    min: 0,
    max: 3600,
    receivers: ['resolvers'],
    meaning: 'Seconds before one client may request another code for the same mailbox.',
  },
  sendWindowSeconds: {
    variable: 'OTP_SEND_WINDOW_SECONDS',
    type: 'integer',
    default: 3600,
    min: 1,
    max: 86_400,
    atLeast: 'resendCooldownSeconds',
    receivers: ['resolvers'],
    meaning: 'Length of the window of `maxSendsPerWindow`, seconds.',
  },
  maxSendsPerWindow: {
    variable: 'OTP_MAX_SENDS_PER_WINDOW',
    type: 'integer',
    default: 5,
    min: 1,
    max: 1000,
    receivers: ['resolvers'],
    meaning: 'Codes one client may request for one mailbox per send window.',
  },
  failureWindowSeconds: {
    variable: 'OTP_FAILURE_WINDOW_SECONDS',
    type: 'integer',
    default: 3600,
    min: 1,
    max: 86_400,
    receivers: ['resolvers'],
    meaning: 'Length of the window of `maxFailuresPerWindow`, seconds.',
  },
  maxFailuresPerWindow: {
    variable: 'OTP_MAX_FAILURES_PER_WINDOW',
    type: 'integer',
    default: 10,
    min: 1,
    max: 10_000,
    receivers: ['resolvers'],
    meaning:
      'Wrong codes one client may enter for one mailbox per failure window, across sessions.',
  },
  maxSendsPerClientPerHour: {
    variable: 'OTP_MAX_SENDS_PER_CLIENT_PER_HOUR',
    type: 'integer',
    default: 20,
    min: 1,
    max: 100_000,
    receivers: ['resolvers'],
    meaning:
      'Codes one client (an IPv4 address, an IPv6 /64) may request per clock hour, all mailboxes together.',
  },
  maxFailuresPerClientPerHour: {
    variable: 'OTP_MAX_FAILURES_PER_CLIENT_PER_HOUR',
    type: 'integer',
    default: 30,
    min: 1,
    max: 100_000,
    receivers: ['resolvers'],
    meaning: 'Wrong codes one client may enter per clock hour, all mailboxes together.',
  },
  maxSendsPerMailboxPerHour: {
    variable: 'OTP_MAX_SENDS_PER_MAILBOX_PER_HOUR',
    type: 'integer',
    default: 50,
    min: 1,
    max: 100_000,
    receivers: ['resolvers'],
    meaning: 'Codes one mailbox may receive per clock hour, all clients together.',
  },
  maxFailuresPerMailboxPerHour: {
    variable: 'OTP_MAX_FAILURES_PER_MAILBOX_PER_HOUR',
    type: 'integer',
    default: 100,
    min: 1,
    max: 100_000,
    receivers: ['resolvers'],
    meaning: 'Wrong codes all clients together may enter for one mailbox per clock hour.',
  },
  maxSendsPerMinute: {
    variable: 'OTP_MAX_SENDS_PER_MINUTE',
    type: 'integer',
    default: 600,
    min: 1,
    max: 100_000,
    receivers: ['resolvers'],
    meaning:
      'Codes the whole service may send per clock minute; keep it below 60 times your SES sending rate.',
  },
  tokenTtlSeconds: {
    variable: 'OTP_TOKEN_TTL_SECONDS',
    type: 'integer',
    default: 300,
    min: 1,
    max: 3600,
    receivers: ['resolvers'],
    meaning: 'Seconds a verification token may wait before a backend redeems it.',
  },
  senderAddress: {
    variable: 'OTP_SENDER_ADDRESS',
    type: 'string',
    format: 'emailAddress',
    default: 'no-reply@example.com',
    maxLength: 254,
    receivers: ['emailLambda'],
    meaning: 'The From address of every email; the Lambda may send from this address only.',
  },
  defaultLocale: {
    variable: 'OTP_DEFAULT_LOCALE',
    type: 'string',
    format: 'locale',
    default: 'en',
    maxLength: 3,
    receivers: ['resolvers', 'emailLambda', 'web'],
    meaning:
      'Language of the mail (and the page) when neither the request nor the browser names a shipped one.',
  },
  appName: {
    variable: 'OTP_APP_NAME',
    type: 'string',
    format: 'line',
    default: 'Example App',
    maxLength: 80,
    receivers: ['emailLambda', 'web'],
    meaning: 'Product name: the brand in the email and at the top of the web app.',
  },
  brandLogoUrl: {
    variable: 'OTP_BRAND_LOGO_URL',
    type: 'string',
    format: 'httpsUrl',
    optional: true,
    default: '',
    maxLength: 512,
    receivers: ['emailLambda'],
    meaning:
      'Logo at the top of the email (40 px high), in place of the product name; none if empty.',
  },
  brandAccentColor: {
    variable: 'OTP_BRAND_ACCENT_COLOR',
    type: 'string',
    format: 'hexColor',
    default: '#4338ca',
    maxLength: 7,
    receivers: ['emailLambda'],
    meaning:
      "The email's accent: the card's top edge, and its links and button where white text reads on it.",
  },
  brandSupport: {
    variable: 'OTP_BRAND_SUPPORT',
    type: 'string',
    format: 'supportContact',
    optional: true,
    default: '',
    maxLength: 512,
    receivers: ['emailLambda'],
    meaning:
      'Where readers of the email ask for help (a page or an address); no help line if empty.',
  },
  brandFooter: {
    variable: 'OTP_BRAND_FOOTER',
    type: 'string',
    format: 'line',
    optional: true,
    default: '',
    maxLength: 200,
    receivers: ['emailLambda'],
    meaning: 'Last line of the email (company name, postal address); none if empty.',
  },
  linkBaseUrl: {
    variable: 'OTP_LINK_BASE_URL',
    type: 'string',
    format: 'linkBaseUrl',
    optional: true,
    default: '',
    maxLength: 512,
    receivers: ['emailLambda'],
    meaning:
      "The web app's address: the email adds a link to it that confirms with one click in the browser that asked; no link if empty.",
  },
  codeInSubject: {
    variable: 'OTP_CODE_IN_SUBJECT',
    type: 'boolean',
    default: false,
    receivers: ['emailLambda'],
    meaning: 'Put the code in the email subject (convenient, but visible on lock screens).',
  },
  maxDeliveryAttempts: {
    variable: 'OTP_MAX_DELIVERY_ATTEMPTS',
    type: 'integer',
    default: 5,
    min: 1,
    max: 20,
    receivers: ['emailLambda'],
    meaning: 'Delivery attempts (claims that reached SES) before a session is marked FAILED.',
  },
  sesMaxSendRate: {
    variable: 'OTP_SES_MAX_SEND_RATE',
    type: 'integer',
    default: 14,
    min: 1,
    max: 100_000,
    receivers: ['emailLambda'],
    meaning:
      "Mails per second the email Lambda hands SES, all invocations together: set it to the account's SES maximum send rate.",
  },
} as const satisfies Record<string, SettingDeclaration>

type Declarations = typeof settingDeclarations

export type SettingKey = keyof Declarations

type ValueOf<D> = D extends { type: 'integer' }
  ? number
  : D extends { type: 'boolean' }
  ? boolean
  : string

/** The typed settings, inferred from the declarations. */
export type OtpSettings = { -readonly [K in SettingKey]: ValueOf<Declarations[K]> }

/** The settings one part receives. */
export type SettingsFor<R extends Receiver> = {
  -readonly [K in SettingKey as R extends Declarations[K]['receivers'][number]
    ? K
    : never]: ValueOf<Declarations[K]>
}
