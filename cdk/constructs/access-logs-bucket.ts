/**
 * The bucket that receives the site bucket's server access logs and the distribution's
 * standard logs. They hold readers' IP addresses, so they expire.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface AccessLogsBucketProps {
  /** How long a log file is kept. */
  readonly expiration: Duration;
}

export class AccessLogsBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: props.expiration, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the site bucket and the distribution; logging its own writes would log the logging.',
    });
  }
}
