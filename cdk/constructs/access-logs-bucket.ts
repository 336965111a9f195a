/**
 * The bucket that receives the site bucket's server access logs and the distribution's
 * standard logs. They hold readers' IP addresses, so they expire.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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

  /**
   * Lets CloudFront's logging v2 write here: the log delivery service, for this account's
   * delivery sources in the given region (cloudfront-logs-stack.ts), under AWSLogs/ only.
   */
  allowCloudFrontLogsV2(sourceRegion: string): void {
    const stack = Stack.of(this);
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.arnForObjects(`AWSLogs/${stack.account}/*`)],
        conditions: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'logs',
              region: sourceRegion,
              resource: 'delivery-source',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
