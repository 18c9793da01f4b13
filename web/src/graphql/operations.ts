/**
 * Every GraphQL document the app sends, in one place. Result and variable types are
 * generated from these documents and `schema.graphql` by `npm run codegen:web`.
 */
import { gql } from '@apollo/client/core'
import type { TypedDocumentNode } from '@apollo/client/core'
import type {
  RequestOtpMutation,
  RequestOtpMutationVariables,
  VerifyOtpMutation,
  VerifyOtpMutationVariables,
} from './generated.js'

export const REQUEST_OTP: TypedDocumentNode<RequestOtpMutation, RequestOtpMutationVariables> = gql`
  mutation RequestOtp($email: AWSEmail!) {
    requestOtp(email: $email) {
      sessionId
      email
      expiresAt
      codeLength
      maxAttempts
      resendAvailableAt
    }
  }
`

export const VERIFY_OTP: TypedDocumentNode<VerifyOtpMutation, VerifyOtpMutationVariables> = gql`
  mutation VerifyOtp($sessionId: ID!, $code: String!) {
    verifyOtp(sessionId: $sessionId, code: $code) {
      status
      attemptsRemaining
      verificationToken
      verificationTokenExpiresAt
    }
  }
`
