/**
 * What must outlive any redeploy of the code: the table, the site bucket, the send queue,
 * the SES identity and configuration set, the secrets, and the site's address (the
 * CloudFront distribution and the HTTP API it routes /api/* to).
 *
 * The distribution lives here, not with the functions, for two reasons: without a custom
 * domain its *.cloudfront.net name *is* the site's address, in every feed reader and every
 * email ever sent, so it must never be replaced by a redeploy of the code; and the site
 * bucket's policy names this exact distribution (Origin Access Control), which a stack
 * deployed after this one could not add without a cross-stack cycle. The HTTP API here is
 * only the shell (its id is the distribution's origin); its stage, routes and integration
 * live in the stateless stack with the function they call.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { senderDomain, type StageConfig } from './config.js';
import { apiViewerRequestFunction, siteViewerRequestFunction } from './constructs/edge-functions.js';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/** DynamoDB attribute holding an item's expiry (epoch seconds); idempotency records and other short-lived items set it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** How long the send queue hides a message from other workers; six times the worker's timeout, as Lambda advises. */
export const SEND_WORKER_TIMEOUT = Duration.minutes(2);

export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly siteBucket: s3.Bucket;
  /**
   * The export holding the site bucket's ARN, under a fixed name: the stateless stack builds
   * the publish function's object-level grant from it, and cdk-nag's acknowledgment of that
   * grant names it, so the name must not be a generated one.
   */
  readonly siteBucketArnExport: string;
  readonly distribution: cloudfront.Distribution;
  readonly httpApi: apigwv2.HttpApi;
  /** The public base URL of the site, with a trailing slash. */
  readonly siteUrl: string;
  readonly sendQueue: sqs.Queue;
  readonly mailQueue: sqs.Queue;
  readonly sendDeadLetterQueue: sqs.Queue;
  /** Asynchronous events nothing could process (SES events after retries, undeliverable schedules). */
  readonly failedEventsQueue: sqs.Queue;
  readonly emailIdentity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly sesEventsTopic: sns.Topic;
  readonly apiTokenSecret: secretsmanager.Secret;
  readonly tokenSigningSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // New publish runs reach the publish function through the stream (a filter keeps only those).
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      deletionProtection: config.retainData,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    // Access logs of the site bucket and the distribution; they hold readers' IP addresses, so they expire.
    const logsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the site bucket and the distribution; logging its own writes would log the logging.',
    });

    this.siteBucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logsBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      lifecycleRules: [
        // Every publish rewrites the feeds; old versions are only for recovering from a bad publish.
        { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.siteBucketArnExport = `${this.stackName}-SiteBucketArn`;
    this.exportValue(this.siteBucket.bucketArn, { name: this.siteBucketArnExport });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: `Pressrun API (${config.stage}); reached through the site's /api/* path`,
      createDefaultStage: false,
    });

    const domain = config.site.domain;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Pressrun site and API (${config.stage})`,
      defaultBehavior: {
        // LIST lets S3 answer 404 rather than 403 for a missing page; viewers still cannot list (no query strings reach the origin).
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.siteBucket, {
          originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [
          { function: siteViewerRequestFunction(this, 'SiteViewerRequest'), eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
        compress: true,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(`${this.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // A redirect would turn a POST into a GET; the API answers HTTPS only.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          functionAssociations: [
            { function: apiViewerRequestFunction(this, 'ApiViewerRequest'), eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
          ],
        },
      },
      // The viewer-request function maps "/" too; this keeps a bare root from ever listing the bucket.
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logsBucket,
      logFilePrefix: 'cloudfront/',
      ...(domain
        ? {
            domainNames: [domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'Annotation::@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
        reason:
          'defaultRootObject is index.html and the viewer-request function maps every directory URL to its index.html, so no request reaches S3 as a bucket listing.',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'A public news site and its feeds are meant for readers in every country; there is no region to exclude.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL: it would cost more at rest than the rest of the stack; the site is static objects, and the API guards itself (bearer token on write routes, HTTP API stage throttling, per-address limits in the app).',
      },
    );
    if (!domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without -c domainName the distribution uses the default *.cloudfront.net certificate, whose minimum TLS version CloudFront fixes; with a custom domain TLSv1.2_2021 is set.',
      });
    }
    this.siteUrl = `https://${domain ? domain.name : this.distribution.distributionDomainName}/`;

    this.sendDeadLetterQueue = new sqs.Queue(this, 'SendDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.sendQueue = new sqs.Queue(this, 'SendQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SEND_WORKER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.sendDeadLetterQueue, maxReceiveCount: 5 },
      removalPolicy,
    });
    // Confirmations and test copies the API queues for the send worker (functions/adapters/sqs-mail-outbox.ts);
    // apart from the digest batches, so a reader's confirmation never waits behind a large send.
    this.mailQueue = new sqs.Queue(this, 'MailQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SEND_WORKER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      maxMessageSizeBytes: 256 * 1024,
      deadLetterQueue: { queue: this.sendDeadLetterQueue, maxReceiveCount: 5 },
      removalPolicy,
    });
    this.failedEventsQueue = new sqs.Queue(this, 'FailedEventsQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(this.failedEventsQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the on-failure destination of the SES-events function and of the publish function's stream of queued runs, and the dead-letter queue of the digest schedule (Lambda and Scheduler settings, which the rule does not see). A queue behind it would only move the same messages.",
    });

    this.sesEventsTopic = new sns.Topic(this, 'SesEvents', {
      displayName: `Pressrun SES bounces and complaints (${config.stage})`,
      enforceSSL: true,
    });
    Validations.of(this.sesEventsTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'SES cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key would be the only fixed monthly cost of the stack; the messages are SES bounce and complaint notices, delivered over TLS (enforceSSL) to one Lambda subscriber.',
    });
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.sesEventsTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    this.emailIdentity = new ses.EmailIdentity(this, 'SenderIdentity', {
      identity: ses.Identity.domain(senderDomain(config)),
      configurationSet: this.configurationSet,
    });

    this.apiTokenSecret = new secretsmanager.Secret(this, 'ApiToken', {
      description: `Pressrun (${config.stage}): bearer token of the API's write routes`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    this.tokenSigningSecret = new secretsmanager.Secret(this, 'TokenSigningKey', {
      description: `Pressrun (${config.stage}): key that signs confirmation and unsubscribe tokens`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.apiTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The API token is a static bearer token held by the operator and their CLI; rotate it with `aws secretsmanager put-secret-value` when needed (the functions read it through the secrets extension cache within minutes). Automatic rotation would lock out the operator without telling them the new value.',
    });
    Validations.of(this.tokenSigningSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the signing key invalidates every unsubscribe link in digests already delivered, and RFC 8058 one-click unsubscribe must keep working for old mail; it is rotated by hand only when compromised.',
    });

    new CfnOutput(this, 'SiteUrl', { value: this.siteUrl, description: 'The site' });
    new CfnOutput(this, 'ApiUrl', { value: `${this.siteUrl}api/`, description: 'The API (same origin as the site)' });
    new CfnOutput(this, 'FeedUrls', {
      value: ['feed.xml', 'atom.xml', 'feed.json'].map((f) => this.siteUrl + f).join(' '),
      description: 'RSS, Atom and JSON Feed',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.distribution.distributionDomainName,
      description: 'Point a custom domain (CNAME/alias) here',
    });
    new CfnOutput(this, 'ApiTokenSecretArn', {
      value: this.apiTokenSecret.secretArn,
      description: 'aws secretsmanager get-secret-value --secret-id <this> --query SecretString --output text',
    });
    this.emailIdentity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DNS record ${i + 1} of 3 that verifies ${senderDomain(config)} for SES (DKIM)`,
      });
    });
  }
}
