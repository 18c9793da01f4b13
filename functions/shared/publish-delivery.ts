/**
 * Tells the browser about each delivery state transition (S14): the `AfterTransition` hook of both
 * Lambdas calls the IAM-only `publishOtpDelivery` mutation, which AppSync hands to the subscribers
 * of `onOtpDelivery` for that session. The state is already stored when this runs, so a publish
 * that fails costs only the push: it is logged and swallowed, and `otpDelivery` still answers.
 */
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import { InvalidSettingError } from '../../infra/settings.js'
import type { AfterTransition, DeliveryTransition } from './delivery-status.js'

/** AWS credentials, or a provider of them (an SDK client's `config.credentials` is one). */
export interface PublishCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}
export type PublishCredentialSource = PublishCredentials | (() => Promise<PublishCredentials>)

/** Where and as whom to publish. */
export interface DeliveryPublishTarget {
  /** The AppSync GraphQL URL (`https://….appsync-api.<region>.amazonaws.com/graphql`). */
  apiUrl: string
  /** Default: the region in an AppSync URL, else `AWS_REGION`. */
  region?: string
  /** Default: the Lambda's own (the SDK's default chain, through its DynamoDB client). */
  credentials?: PublishCredentialSource
}

export interface DeliveryPublisherOptions extends DeliveryPublishTarget {
  region: string
  credentials: PublishCredentialSource
  /** Gets one line per failed publish: session, status, why; never an address or a code. */
  logger: { warn(message: string, fields: Record<string, unknown>): void }
  /** Per call, so that a slow API never holds a batch. Default 3 s. */
  timeoutMs?: number
}

/** The mutation; it selects every field because subscribers receive only what it selects. */
export const PUBLISH_OTP_DELIVERY = `mutation PublishOtpDelivery($sessionId: ID!, $status: OtpDeliveryStatus!, $at: AWSDateTime!, $reason: String) {
  publishOtpDelivery(sessionId: $sessionId, status: $status, at: $at, reason: $reason) { sessionId status at reason }
}`

/** The region of an AppSync GraphQL URL, or undefined for another host (a custom domain, the local stack). */
export function regionOfApiUrl(apiUrl: string): string | undefined {
  return /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(apiUrl).hostname)?.[1]
}

/** Thrown (and caught) when AppSync refuses a publish; `detail` is an HTTP status or an errorType. */
class PublishRefusedError extends Error {
  override name = 'PublishRefusedError'
}

/**
 * The hook that publishes each transition with a SigV4-signed POST (service `appsync`). It never
 * rejects: a refusal, a network error or a timeout is logged as a warning and the hook resolves.
 */
export function deliveryPublisher(options: DeliveryPublisherOptions): AfterTransition {
  const url = new URL(options.apiUrl)
  const signer = new SignatureV4({
    service: 'appsync',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  })
  const timeoutMs = options.timeoutMs ?? 3_000
  return async (transition: DeliveryTransition) => {
    try {
      const body = JSON.stringify({
        query: PUBLISH_OTP_DELIVERY,
        variables: {
          sessionId: transition.sessionId,
          status: transition.status,
          at: new Date(transition.at).toISOString(),
          reason: transition.reason ?? null,
        },
      })
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: {},
        headers: { host: url.host, 'content-type': 'application/json' },
        body,
      })
      // fetch sets Host itself from the URL, to the value that was signed.
      const { host: _host, ...headers } = signed.headers
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      })
      const result = (await response.json().catch(() => ({}))) as {
        errors?: { errorType?: string }[]
        errorType?: string
      }
      if (!response.ok) throw new PublishRefusedError(`HTTP_${response.status}`)
      const refused = result.errors?.[0]
      if (refused) throw new PublishRefusedError(refused.errorType ?? 'GraphQLError')
    } catch (error) {
      options.logger.warn('delivery update not published', {
        sessionId: transition.sessionId,
        status: transition.status,
        error:
          error instanceof PublishRefusedError
            ? error.message
            : error instanceof Error
            ? error.name
            : 'Unknown',
      })
    }
  }
}

/** What a Lambda's dependencies fall back on when the target leaves region or credentials open. */
export interface PublisherDefaults {
  credentials: PublishCredentialSource
  logger: DeliveryPublisherOptions['logger']
  /** `AWS_REGION` of the Lambda. */
  region?: string
}

/**
 * The publishing hook for `target`, filling region (the API URL's, else `defaults.region`) and
 * credentials from `defaults`; undefined when there is no target (states are stored, not pushed).
 * @throws InvalidSettingError when no region can be found to sign for.
 */
export function publisherFor(
  target: DeliveryPublishTarget | undefined,
  defaults: PublisherDefaults,
): AfterTransition | undefined {
  if (!target) return undefined
  const region = target.region ?? regionOfApiUrl(target.apiUrl) ?? defaults.region
  if (!region)
    throw new InvalidSettingError(`AWS_REGION must be set: ${target.apiUrl} names no region`)
  return deliveryPublisher({
    ...target,
    region,
    credentials: target.credentials ?? defaults.credentials,
    logger: defaults.logger,
  })
}
