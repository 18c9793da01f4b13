import { Stack } from 'aws-cdk-lib'
import { BackedDataSource, type BackedDataSourceProps } from 'aws-cdk-lib/aws-appsync'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { Construct } from 'constructs'

export interface TableDataSourceProps extends BackedDataSourceProps {
  table: ITable
  /** The table's customer-managed key. */
  key: IKey
  /** IAM names of the DynamoDB actions the resolvers use (`infra/api.ts` `resolverTableActions`). */
  actions: readonly string[]
}

/**
 * An AppSync DynamoDB data source whose role may use exactly the given actions on the table (and
 * the key with named actions). aws-cdk-lib's DynamoDbDataSource always grants all of reading and
 * writing (Scan, Query, BatchWriteItem, DeleteItem, the stream, ...); this one grants what the
 * resolvers ask for and nothing else.
 */
export class TableDataSource extends BackedDataSource {
  constructor(scope: Construct, id: string, props: TableDataSourceProps) {
    super(scope, id, props, {
      type: 'AMAZON_DYNAMODB',
      dynamoDbConfig: { tableName: props.table.tableName, awsRegion: Stack.of(scope).region },
    })
    this.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...props.actions], resources: [props.table.tableArn] }),
    )
    props.key.grant(this, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey')
  }
}
