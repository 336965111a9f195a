/**
 * What the functions that publish may do, granted alike to the publish function and the chunk
 * function (a fanned-out publish's chunks and its finish write, delete and invalidate as a
 * publish in one invocation does).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { PressrunFunction } from './pressrun-function.js';
import type { PressrunTable } from './pressrun-table.js';

export interface PublishingResources {
  table: PressrunTable;
  /** Where pages and feeds are written. */
  siteBucket: s3.IBucket;
  /** The function invalidates the paths a publish changed. */
  distribution: cloudfront.IDistribution;
  /** Receives the digest's send batches. */
  sendQueue: sqs.IQueue;
  /** Carries a fanned-out publish's chunks: the start queues the first wave, the last chunk of a wave the next. */
  publishChunkQueue: sqs.IQueue;
}

export function grantPublishing(fn: PressrunFunction, props: PublishingResources): void {
  props.table.grantItemReadWrites(fn);
  // Site bucket: the functions that publish write and delete objects, and list the keys (a full publish asked for deletes
  // what the bucket holds that nothing claims); no other bucket-level action.
  fn.allow(['s3:PutObject', 's3:DeleteObject'], [props.siteBucket.arnForObjects('*')]);
  fn.allow(['s3:ListBucket'], [props.siteBucket.bucketArn]);
  // cdk-nag names the bucket by the reference to the other stack, which exists only once the app resolves references:
  // acknowledged in a validation, which runs after that and before cdk-nag.
  fn.node.addValidation({
    validate: () => {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${JSON.stringify(Stack.of(fn).resolve(props.siteBucket.bucketArn))}/*]`,
        reason:
          'A publish writes and deletes pages and feeds under any key of the site bucket (articles/, tags/, digests/, the feeds at the root); the wildcard covers the objects of that one bucket, and no bucket-level action is granted.',
      });
      return [];
    },
  });
  props.distribution.grantCreateInvalidation(fn.role);
  // Sends are started by a publish (or its schedule) and by POST /api/digests/{id}/send: both queue batches.
  fn.allow(['sqs:SendMessage'], [props.sendQueue.queueArn, props.publishChunkQueue.queueArn]);
}
