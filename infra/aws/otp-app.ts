import { join } from 'node:path'
import { App, type AppProps, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { repoRoot } from '../api.js'
import { type OtpSettings, loadSettings } from '../settings.js'
import { acknowledgeNagFindings } from './nag-acknowledgements.js'
import { readDeployConfig } from './deploy-config.js'
import { OtpStack } from './otp-stack.js'
import { readResolverBundles } from './resolver-bundles.js'

/** The stack's name and construct id. */
export const STACK_NAME = 'EmailOtp'

export interface OtpAppOptions extends AppProps {
  /** Defaults to `loadSettings()` (environment variables over defaults). */
  settings?: OtpSettings
  /** Defaults to the bundles in `dist/resolvers`. */
  resolverCode?: ReadonlyMap<string, string>
  /** Defaults to `web/dist`. */
  webDistDir?: string
}

/**
 * Builds the CDK app: one env-agnostic stack, checked by cdk-nag's AWS Solutions pack at
 * synth. `infra/aws/app.ts` and the infrastructure tests both start here.
 */
export function createOtpApp(options: OtpAppOptions = {}): { app: App; stack: OtpStack } {
  const { settings, resolverCode, webDistDir, ...appProps } = options
  const app = new App(appProps)
  const stack = new OtpStack(app, STACK_NAME, {
    description:
      'Email one-time codes on AppSync (JS resolvers over DynamoDB, SES mail from a stream Lambda)',
    settings: settings ?? loadSettings(),
    deploy: readDeployConfig(app.node),
    resolverCode: resolverCode ?? readResolverBundles(),
    webDistDir: webDistDir ?? join(repoRoot, 'web/dist'),
  })
  acknowledgeNagFindings(stack)
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
  return { app, stack }
}
