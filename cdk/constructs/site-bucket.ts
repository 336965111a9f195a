/**
 * The bucket readers' pages and feeds are published to: private (the distribution reads it
 * through Origin Access Control), versioned, and kept when its stack is deleted.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SiteBucketProps {
  /** Receives the bucket's server access logs, under `site-bucket/`. */
  readonly serverAccessLogsBucket: s3.IBucket;
}

export class SiteBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: SiteBucketProps) {
    super(scope, id, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      lifecycleRules: [
        // Every publish rewrites the feeds; old versions are only for recovering from a bad publish.
        { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
