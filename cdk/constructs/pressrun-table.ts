/**
 * The one DynamoDB table (single-table design; functions/adapters/dynamo-table.ts owns the
 * key layout): on demand, point-in-time recovery, TTL, one overloaded index, and a stream of
 * new images. Grants cover items only: no scans, no table administration.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** DynamoDB attribute holding an item's expiry (epoch seconds); idempotency records and other short-lived items set it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The one global secondary index, overloaded by the stores (projection ALL). */
export const GSI1 = 'gsi1';

/** DynamoDB item actions the adapters use (single-item conditional writes, batches, queries); no scans, no table administration. */
export const ITEM_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
export const ITEM_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface PressrunTableProps {
  /**
   * Keep the table when its stack is deleted, and refuse deletion until protection is turned off.
   * @default false (the table is deleted with its stack)
   */
  readonly retainData?: boolean;
}

export class PressrunTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, props: PressrunTableProps = {}) {
    const retainData = props.retainData ?? false;
    super(scope, id, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // New publish runs reach the publish function through the stream (a filter keeps only those).
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      deletionProtection: retainData,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.addGlobalSecondaryIndex({
      indexName: GSI1,
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /** Reads of items in the table and its index (what the digest preview needs). */
  grantItemReads(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ITEM_READS, resourceArns: this.itemArns() });
  }

  /** Reads and writes of items in the table and its index. */
  grantItemReadWrites(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...ITEM_READS, ...ITEM_WRITES], resourceArns: this.itemArns() });
  }

  private itemArns(): string[] {
    return [this.tableArn, `${this.tableArn}/index/${GSI1}`];
  }
}
