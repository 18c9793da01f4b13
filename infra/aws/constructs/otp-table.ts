import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import {
  AttributeType,
  BillingMode,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb'
import { Key } from 'aws-cdk-lib/aws-kms'
import { Construct } from 'constructs'
import { table as tableDescription } from '../../api.js'

const attributeTypes: Readonly<Record<'S' | 'N' | 'B', AttributeType>> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
}

export interface OtpTableProps {
  /** Keep the table (and its key) when the stack is deleted, and refuse DeleteTable. */
  deletionProtection: boolean
}

/**
 * The one DynamoDB table of `infra/api.ts`, encrypted with a customer-managed key that
 * the stack's queue and topic share. The stream feeds the email Lambda.
 */
export class OtpTable extends Construct {
  readonly table: Table
  /** Customer-managed key for every data store of the stack (table, stream, dead-letter queue). */
  readonly key: Key

  constructor(scope: Construct, id: string, props: OtpTableProps) {
    super(scope, id)
    const removalPolicy = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY
    this.key = new Key(this, 'DataKey', {
      description: 'Encrypts the OTP table, its stream and the email dead-letter queue',
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(7),
    })
    this.table = new Table(this, 'Table', {
      partitionKey: {
        name: tableDescription.partitionKey.name,
        type: attributeTypes[tableDescription.partitionKey.type],
      },
      billingMode: BillingMode[tableDescription.billingMode],
      stream: StreamViewType[tableDescription.streamViewType],
      timeToLiveAttribute: tableDescription.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: props.deletionProtection,
      removalPolicy,
    })
  }
}
