import { join } from 'node:path'
import { Duration, type RemovalPolicy } from 'aws-cdk-lib'
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'
import { repoRoot } from '../../api.js'

/** The newest Node.js runtime this aws-cdk-lib offers; the local tests run the handlers on Node 20+. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X

/** One of our Lambdas as `infra/api.ts` describes it. */
export interface NodeFunctionProps {
  /** Handler source relative to the repository root (esbuild entry) and its export. */
  entry: string
  handlerExport: string
  description: string
  timeoutSeconds: number
  memoryMb: number
  environment: Record<string, string>
  reservedConcurrency?: number
  removalPolicy: RemovalPolicy
}

// The handlers are ESM; CommonJS dependencies bundled into them still call require().
const requireShim =
  "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);"

/**
 * A Lambda of this project in `scope` (children `Role`, `Logs`, `Handler`): an own role whose only
 * managed grant is writing to its own log group (no AWS managed policy), a log group kept for a
 * month, arm64, X-Ray, and the handler bundled locally by esbuild into one minified ES module with
 * the SDK version the tests ran against.
 */
export function createNodeFunction(scope: Construct, props: NodeFunctionProps): NodejsFunction {
  const role = new Role(scope, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') })
  const logGroup = new LogGroup(scope, 'Logs', {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: props.removalPolicy,
  })
  logGroup.grantWrite(role)
  return new NodejsFunction(scope, 'Handler', {
    role,
    description: props.description,
    entry: join(repoRoot, props.entry),
    handler: props.handlerExport,
    projectRoot: repoRoot,
    depsLockFilePath: join(repoRoot, 'package-lock.json'),
    runtime: LAMBDA_RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: props.memoryMb,
    timeout: Duration.seconds(props.timeoutSeconds),
    tracing: Tracing.ACTIVE,
    reservedConcurrentExecutions:
      props.reservedConcurrency && props.reservedConcurrency > 0
        ? props.reservedConcurrency
        : undefined,
    environment: props.environment,
    logGroup,
    bundling: {
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      mainFields: ['module', 'main'],
      banner: requireShim,
      // Ship the SDK version the tests ran against rather than the one in the runtime.
      bundleAwsSDK: true,
      // Minified for cold starts; names kept so that stack traces in the logs stay readable.
      minify: true,
      keepNames: true,
    },
  })
}
