/**
 * The one description of the API that both `infra/aws` (CDK) and `infra/local` (the local
 * stack) read: schema, data sources, pipeline resolvers and their steps in order, the table,
 * and the email stream consumer. Nothing here is described twice.
 */
import { fileURLToPath } from 'node:url'
import { PARTITION_KEY, SESSION_KEY_PREFIX, TTL_ATTRIBUTE } from './model.js'

/** Repository root, absolute. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url))

export const schemaFile = 'schema.graphql'

/** Where `npm run build:resolvers` writes one bundle per resolver and step: `<bundleDir>/<name>.js`. */
export const bundleDir = 'dist/resolvers'

/** APPSYNC_JS runtime every resolver and step runs on. */
export const appsyncRuntime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' } as const

/**
 * How callers are authorized: IAM by default, the API key only where the schema grants it with
 * `@aws_api_key` (S10). A field without a directive is therefore private to IAM callers (backends)
 * until someone decides otherwise, and the key that ships in every browser reaches nothing new.
 */
export const authorization = { defaultMode: 'AWS_IAM', additionalModes: ['API_KEY'] } as const

export type DataSourceName = 'table' | 'none'

export const dataSources: Readonly<
  Record<DataSourceName, { kind: 'AMAZON_DYNAMODB' | 'NONE'; description: string }>
> = {
  table: { kind: 'AMAZON_DYNAMODB', description: 'The OTP table (sessions, quotas, tokens)' },
  none: { kind: 'NONE', description: 'Local computation only' },
}

/** A pipeline step (an AppSync "function"): one data-source operation. */
export interface PipelineStep {
  /** Bundle name and AppSync function name. */
  name: string
  /** TypeScript source, relative to the repository root. */
  source: string
  dataSource: DataSourceName
}

/** A pipeline resolver bound to one field. */
export interface PipelineResolver {
  typeName: 'Query' | 'Mutation'
  fieldName: string
  /** Bundle name, `<typeName>.<fieldName>`. */
  name: string
  source: string
  /** Step names in execution order. */
  steps: readonly string[]
}

type StepDeclaration = readonly [name: string, dataSource: DataSourceName]

/**
 * The resolver in `resolvers/<typeName>.<fieldName>.ts` and its steps, in execution order, in
 * `resolvers/steps/<fieldName>/<position>.<name>.ts`: the file names show the order beside the
 * code, and a step listed out of order here has no source file, so the build fails.
 */
function pipeline(
  typeName: 'Query' | 'Mutation',
  fieldName: string,
  steps: readonly StepDeclaration[],
): { resolver: PipelineResolver; steps: PipelineStep[] } {
  return {
    resolver: {
      typeName,
      fieldName,
      name: `${typeName}.${fieldName}`,
      source: `resolvers/${typeName}.${fieldName}.ts`,
      steps: steps.map(([name]) => name),
    },
    steps: steps.map(([name, dataSource], index) => ({
      name,
      source: `resolvers/steps/${fieldName}/${index + 1}.${name}.ts`,
      dataSource,
    })),
  }
}

const pipelines = [
  pipeline('Query', 'otpPolicy', [['describePolicy', 'none']]),
  pipeline('Mutation', 'requestOtp', [
    ['reserveSendBudget', 'table'],
    ['createSession', 'table'],
    ['refundSendBudget', 'table'],
  ]),
  pipeline('Mutation', 'verifyOtp', [
    ['loadSession', 'table'],
    ['reserveFailureBudget', 'table'],
    ['reserveAttempt', 'table'],
    ['verifySession', 'table'],
    ['lockSession', 'table'],
    ['reloadSession', 'table'],
    ['refundFailureBudget', 'table'],
  ]),
  pipeline('Mutation', 'redeemVerification', [['redeemToken', 'table']]),
  pipeline('Query', 'otpDelivery', [['loadDelivery', 'table']]),
  // No data is stored: AppSync publishes the result to the subscribers of onOtpDelivery.
  pipeline('Mutation', 'publishOtpDelivery', [['echoDelivery', 'none']]),
]

/** Every pipeline step, each belonging to one resolver. */
export const pipelineSteps: readonly PipelineStep[] = pipelines.flatMap((p) => p.steps)

export const pipelineResolvers: readonly PipelineResolver[] = pipelines.map((p) => p.resolver)

/**
 * The DynamoDB actions the resolvers' data source may use, as IAM names: what the steps' requests
 * ask for (`GetItem`, `PutItem`, `UpdateItem`, also inside `TransactWriteItems`, which IAM checks
 * item by item). No Query, Scan, batch or delete: no step makes one. A test reads every step's
 * `operation` and fails when this list and the steps disagree.
 */
export const resolverTableActions = [
  'dynamodb:ConditionCheckItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
] as const

/** The table, as CDK deploys it and the local stack creates it. */
export const table = {
  /** Physical name used locally; CDK lets CloudFormation name it. */
  localName: 'otp',
  partitionKey: { name: PARTITION_KEY, type: 'S' },
  ttlAttribute: TTL_ATTRIBUTE,
  /**
   * Keys only: stream records (kept 24 hours) never carry a code or an item's attributes. The
   * email Lambda reads what it sends from its claim, a conditional update that returns the item.
   */
  streamViewType: 'KEYS_ONLY',
  billingMode: 'PAY_PER_REQUEST',
} as const

/** The stream Lambda that sends each code, and how Lambda feeds it. */
export const emailSender = {
  /** Handler source (esbuild entry) and export name. */
  entry: 'functions/send-otp-email/handler.ts',
  handlerExport: 'handler',
  timeoutSeconds: 30,
  memoryMb: 256,
  /**
   * Lambda event filter: INSERTs of session items (keys starting `SESSION#`) only. Applied at the
   * event source, never in code.
   */
  filterPattern: {
    eventName: ['INSERT'],
    dynamodb: { Keys: { [PARTITION_KEY]: { S: [{ prefix: SESSION_KEY_PREFIX }] } } },
  },
  /** The SES message tag that carries the session id, so that SES events name the session. */
  sessionTag: 'sessionId',
  batchSize: 10,
  /** Records of one batch sent at the same time (each still waits for its place in the send rate). */
  parallelSends: 10,
  /** Batches of one shard processed at the same time (Lambda's ParallelizationFactor, 1 to 10). */
  parallelizationFactor: 1,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 4,
  bisectBatchOnError: true,
  maxRecordAgeSeconds: 3600,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
  /** The handler's metrics (Embedded Metric Format), one count per record outcome per invocation. */
  metrics: {
    namespace: 'EmailOtp',
    service: 'send-otp-email',
    /** Records whose mail SES accepted. */
    sent: 'MailsHandedToSes',
    /** Records answered as batch item failures (throttled, no send place in time, SES down). */
    retried: 'DeliveryRetries',
    /** Records that ended FAILED and in the dead-letter queue. */
    failed: 'DeliveryFailures',
  },
} as const

/**
 * The Lambda that records what SES reports about each mail: the session's delivery state and, on
 * a hard bounce or a complaint, the suppression of the mailbox (S13, S14). SES publishes the
 * events of the configuration set every mail is sent with to EventBridge's default bus; a rule
 * hands them to this Lambda. Locally, infra/local/ses-events.ts feeds the same handler.
 */
export const emailEvents = {
  entry: 'functions/record-email-event/handler.ts',
  handlerExport: 'handler',
  description: "Records SES's events for each code email: delivery state, suppressed mailboxes",
  timeoutSeconds: 10,
  memoryMb: 256,
  /** The SES event types the configuration set publishes, with EventBridge's detail-type of each. */
  detailTypes: {
    Send: 'Email Sent',
    Delivery: 'Email Delivered',
    DeliveryDelay: 'Email Delivery Delayed',
    Bounce: 'Email Bounced',
    Complaint: 'Email Complaint Received',
    Reject: 'Email Rejected',
  },
  /** Lambda's retries of an asynchronous invocation that failed, and the oldest event it still runs. */
  retryAttempts: 2,
  maxEventAgeSeconds: 6 * 3600,
  /** The handler's metrics (Embedded Metric Format); the alarms read the same names. */
  metrics: {
    namespace: 'EmailOtp',
    service: 'record-email-event',
    /** One per mail SES accepted (its Send event). */
    sent: 'EmailsSent',
    /** One per mailbox newly suppressed after a hard bounce or a complaint. */
    suppressed: 'MailboxesSuppressed',
  },
} as const

/**
 * The events Lambda: the table stream's second reader (a stream serves at most two per shard; the
 * email Lambda is the first). It reads each session or token item the stream names, maps it to
 * domain events (functions/publish-domain-events/domain-events.ts) and puts them on the bus.
 * Locally infra/local/domain-events.ts runs the same handler with a JSON-lines sink.
 */
export const domainEvents = {
  entry: 'functions/publish-domain-events/handler.ts',
  handlerExport: 'handler',
  description: 'Publishes domain events (OtpRequested, OtpVerified, ...) from the table stream',
  timeoutSeconds: 30,
  memoryMb: 256,
  /** Records of sessions and tokens: every change, and TTL's removals (`OtpExpired`). */
  filterPattern: {
    dynamodb: {
      Keys: { [PARTITION_KEY]: { S: [{ prefix: SESSION_KEY_PREFIX }, { prefix: 'TOKEN#' }] } },
    },
  },
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  retryAttempts: 10,
  bisectBatchOnError: false,
  maxRecordAgeSeconds: 6 * 3600,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
  /** The custom bus other systems subscribe to (rules on `source: otp.email`). */
  busName: 'email-otp-events',
  /** The local stack's fixed salt (never used on AWS, where it is a Secrets Manager secret). */
  localSalt: 'local-development-address-hash-salt',
  metrics: {
    namespace: 'EmailOtp',
    service: 'publish-domain-events',
    /** Milliseconds from requestOtp to SES's Delivery event, one value per delivered code. */
    timeToInbox: 'TimeToInbox',
  },
} as const

/** The bundle names in the order CDK and the local stack register them (steps first). */
export function bundleNames(): string[] {
  return [...pipelineSteps.map((s) => s.name), ...pipelineResolvers.map((r) => r.name)]
}
