// `cdk synth` / `cdk deploy` entry (see cdk.json). Settings come from OTP_* variables, deployment choices from context.
import { createOtpApp } from './otp-app.js'

createOtpApp().app.synth()
