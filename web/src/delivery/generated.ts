/* Generated from schema.graphql and delivery/delivery.graphql by `npm run codegen:web`. Do not edit. */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] }
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  | T
  | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never }
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core'
/** The life of one mail, from our queue to the recipient's mailbox. `DELAYED` may still be followed by `DELIVERED` or `BOUNCED`; `BOUNCED`, `COMPLAINED` and `FAILED` are final. */
export type OtpDeliveryStatus =
  /** The recipient's mail server refused the mail for good (for example, no such mailbox). Request a code for another address. */
  | 'BOUNCED'
  /** The recipient marked the mail as spam. */
  | 'COMPLAINED'
  /** The recipient's mail server has not accepted the mail yet; sending goes on. */
  | 'DELAYED'
  /** The recipient's mail server accepted the mail. */
  | 'DELIVERED'
  /** The mail could not be sent; request a new code. */
  | 'FAILED'
  /** The code was requested; the mail is waiting to be sent. */
  | 'QUEUED'
  /** Our mail service accepted the mail for sending. */
  | 'SENT'

export type OtpDeliveryQueryVariables = Exact<{
  sessionId: string | number
}>

export type OtpDeliveryQuery = {
  otpDelivery: {
    sessionId: string
    status: OtpDeliveryStatus
    at: string
    reason: string | null
  } | null
}

export type OnOtpDeliverySubscriptionVariables = Exact<{
  sessionId: string | number
}>

export type OnOtpDeliverySubscription = {
  onOtpDelivery: {
    sessionId: string
    status: OtpDeliveryStatus
    at: string
    reason: string | null
  } | null
}

export const OtpDeliveryDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'query',
      name: { kind: 'Name', value: 'OtpDelivery' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'sessionId' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'otpDelivery' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'sessionId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'sessionId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'sessionId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'at' } },
                { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<OtpDeliveryQuery, OtpDeliveryQueryVariables>
export const OnOtpDeliveryDocument = {
  kind: 'Document',
  definitions: [
    {
      kind: 'OperationDefinition',
      operation: 'subscription',
      name: { kind: 'Name', value: 'OnOtpDelivery' },
      variableDefinitions: [
        {
          kind: 'VariableDefinition',
          variable: { kind: 'Variable', name: { kind: 'Name', value: 'sessionId' } },
          type: {
            kind: 'NonNullType',
            type: { kind: 'NamedType', name: { kind: 'Name', value: 'ID' } },
          },
        },
      ],
      selectionSet: {
        kind: 'SelectionSet',
        selections: [
          {
            kind: 'Field',
            name: { kind: 'Name', value: 'onOtpDelivery' },
            arguments: [
              {
                kind: 'Argument',
                name: { kind: 'Name', value: 'sessionId' },
                value: { kind: 'Variable', name: { kind: 'Name', value: 'sessionId' } },
              },
            ],
            selectionSet: {
              kind: 'SelectionSet',
              selections: [
                { kind: 'Field', name: { kind: 'Name', value: 'sessionId' } },
                { kind: 'Field', name: { kind: 'Name', value: 'status' } },
                { kind: 'Field', name: { kind: 'Name', value: 'at' } },
                { kind: 'Field', name: { kind: 'Name', value: 'reason' } },
              ],
            },
          },
        ],
      },
    },
  ],
} as unknown as DocumentNode<OnOtpDeliverySubscription, OnOtpDeliverySubscriptionVariables>
