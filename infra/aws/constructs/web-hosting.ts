import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Aws, Duration, Fn, type RemovalPolicy, Stack } from 'aws-cdk-lib'
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront'
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins'
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3'
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment'
import { Construct } from 'constructs'

export interface WebHostingProps {
  /** The built Vue app (`web/dist`). */
  webDistDir: string
  /** AppSync GraphQL URL; its origin is the only API the pages may call. */
  apiUrl: string
  /** AppSync's real-time origin (`wss://…appsync-realtime-api…`), the only socket the pages may open. */
  realtimeOrigin: string
  /** The public API key, written into `config.json` for the app to read at runtime. */
  apiKey: string
  /** The settings the app reads from `config.json` (`toWebConfig(settings)`). */
  settings: Readonly<Record<string, string | number | boolean>>
  removalPolicy: RemovalPolicy
  /** Empty the buckets on stack deletion (only when nothing is protected). */
  autoDeleteObjects: boolean
}

/** Thrown at synth time when the web app was not built. */
export class MissingWebBuildError extends Error {
  override name = 'MissingWebBuildError'
}

/** `https://<host>` of a URL that is only known at deploy time. */
function originOf(url: string): string {
  return Fn.join('', ['https://', Fn.select(2, Fn.split('/', url))])
}

/**
 * The CSP the pages run under: scripts and styles from the site only, network calls to
 * the site (for `/config.json`), the API origin and the API's real-time origin only, no framing.
 */
export function contentSecurityPolicy(apiOrigin: string, realtimeOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${apiOrigin} ${realtimeOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * The Vue app on a private S3 bucket behind CloudFront (origin access control, HTTPS only,
 * security headers, SPA fallback), with `config.json` = `{ ...settings, apiUrl, apiKey }` written at
 * deploy time so the same build runs locally and on AWS.
 */
export class WebHosting extends Construct {
  readonly distribution: Distribution
  readonly bucket: Bucket
  readonly logBucket: Bucket

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id)
    if (!existsSync(join(props.webDistDir, 'index.html'))) {
      throw new MissingWebBuildError(
        `${props.webDistDir}/index.html not found: run \`npm run build:web\` before synth (\`npm run synth\` builds first)`,
      )
    }
    const storage = {
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    }
    this.logBucket = new Bucket(this, 'LogBucket', {
      ...storage,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    })
    this.bucket = new Bucket(this, 'SiteBucket', {
      ...storage,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
    })

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      // Policy names are global to the account: the region keeps two regional copies apart.
      responseHeadersPolicyName: Fn.join('-', [
        Stack.of(this).stackName,
        Aws.REGION,
        'security-headers',
      ]),
      comment: 'Security headers of the OTP web app',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(
            originOf(props.apiUrl),
            props.realtimeOrigin,
          ),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    })

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket)
    const behavior = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      responseHeadersPolicy: headers,
    }
    const spaFallback = (httpStatus: number) => ({
      httpStatus,
      responseHttpStatus: 200,
      responsePagePath: '/index.html',
      ttl: Duration.seconds(0),
    })
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'OTP web app',
      defaultRootObject: 'index.html',
      defaultBehavior: { ...behavior, cachePolicy: CachePolicy.CACHING_OPTIMIZED },
      // A redeploy may change the API or its key; the app must not read a stale config.
      additionalBehaviors: {
        '/config.json': { ...behavior, cachePolicy: CachePolicy.CACHING_DISABLED },
      },
      // A private bucket answers 403 for a missing key: both mean "a client-side route".
      errorResponses: [spaFallback(403), spaFallback(404)],
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    })

    new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(props.webDistDir),
        Source.jsonData('config.json', {
          ...props.settings,
          apiUrl: props.apiUrl,
          apiKey: props.apiKey,
        }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    })
  }
}
