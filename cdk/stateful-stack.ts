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
import { CfnOutput, CfnResource, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { senderDomain, type StageConfig } from './config.js';
import { AccessLogsBucket } from './constructs/access-logs-bucket.js';
import { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import { apiViewerRequestFunction, siteViewerRequestFunction } from './constructs/edge-functions.js';
import type { GeneratedSecret } from './constructs/generated-secret.js';
import { MailConfigurationSet } from './constructs/mail-configuration-set.js';
import { PressrunTable } from './constructs/pressrun-table.js';
import { SEND_WORKER_TIMEOUT } from './constructs/send-worker.js';
import { SesEventsTopic } from './constructs/ses-events-topic.js';
import { SiteBucket } from './constructs/site-bucket.js';
import { SiteDistribution } from './constructs/site-distribution.js';
import { WorkQueue } from './constructs/work-queue.js';
import { generateSecrets } from './stateful-secrets.js';
import { PUBLISH_CHUNK_TIMEOUT_MS } from '../functions/core/publish/ports.js';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/** What sends to the failed-events queue: Lambda and Scheduler settings, which cdk-nag does not see. */
const FAILED_EVENTS_SOURCES =
  "the on-failure destination of the SES-events function and of the publish function's stream of queued runs, and the dead-letter queue of the digest schedule (Lambda and Scheduler settings, which the rule does not see)";

export class StatefulStack extends Stack {
  readonly table: PressrunTable;
  readonly siteBucket: SiteBucket;
  /** The site bucket's server access logs and the distribution's standard logs. */
  readonly accessLogs: AccessLogsBucket;
  readonly distribution: SiteDistribution;
  readonly httpApi: apigwv2.HttpApi;
  /** The public base URL of the site, with a trailing slash. */
  readonly siteUrl: string;
  readonly sendQueue: WorkQueue;
  readonly mailQueue: WorkQueue;
  readonly sendDeadLetterQueue: DeadLetterQueue;
  /** The chunks of a fanned-out full publish, for the chunk function. */
  readonly publishChunkQueue: WorkQueue;
  readonly publishChunkDeadLetterQueue: DeadLetterQueue;
  /** Asynchronous events nothing could process (SES events after retries, undeliverable schedules). */
  readonly failedEventsQueue: DeadLetterQueue;
  readonly emailIdentity: ses.EmailIdentity;
  readonly configurationSet: MailConfigurationSet;
  readonly sesEventsTopic: SesEventsTopic;
  readonly apiTokenSecret: GeneratedSecret;
  readonly tokenSigningSecret: GeneratedSecret;
  /** CloudFront sends it to the API, which answers only requests that carry it: the only way in is through the distribution. */
  readonly originSecret: GeneratedSecret;

  // A construct's id and place in the tree decide its resources' logical ids, which never change once deployed (a new one
  // replaces the table or bucket). So each construct extends the resource it configures rather than wrapping it: no level is
  // added to any path, and the ids here are the ones the resources were first deployed with.
  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new PressrunTable(this, 'Table', { retainData: config.retainData });
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { expiration: Duration.days(config.logRetentionDays) });
    this.accessLogs = accessLogs;
    this.siteBucket = new SiteBucket(this, 'SiteBucket', { serverAccessLogsBucket: accessLogs });
    this.keepLegacyExportWhileMovingToWeakReferences();
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: `Pressrun API (${config.stage}); reached through the site's /api/* path`,
      createDefaultStage: false,
    });
    const secrets = generateSecrets(this, config.stage, removalPolicy);
    this.originSecret = secrets.originVerify;
    this.distribution = new SiteDistribution(this, 'Distribution', {
      comment: `Pressrun site and API (${config.stage})`,
      siteBucket: this.siteBucket,
      httpApi: this.httpApi,
      siteViewerRequest: siteViewerRequestFunction(this, 'SiteViewerRequest'),
      apiViewerRequest: apiViewerRequestFunction(this, 'ApiViewerRequest'),
      originVerifyValue: SecretValue.secretsManager(this.originSecret.secretArn, {
        ...(config.originSecretVersion ? { versionId: config.originSecretVersion } : {}),
      }),
      logBucket: accessLogs,
      domain: this.customDomain(config),
    });
    this.siteUrl = this.distribution.siteUrl;

    this.sendDeadLetterQueue = new DeadLetterQueue(this, 'SendDeadLetterQueue', { removalPolicy });
    const work = { deadLetterQueue: this.sendDeadLetterQueue, consumerTimeout: SEND_WORKER_TIMEOUT, removalPolicy };
    this.sendQueue = new WorkQueue(this, 'SendQueue', work);
    // Confirmations and test copies the API queues for the send worker (functions/adapters/sqs-mail-outbox.ts);
    // apart from the digest batches, so a reader's confirmation never waits behind a large send.
    this.mailQueue = new WorkQueue(this, 'MailQueue', { ...work, maxMessageSizeBytes: 256 * 1024 });
    // A fanned-out full publish's chunks (functions/core/publish/fan-out.ts); one that fails five times waits in its own dead-letter queue.
    this.publishChunkDeadLetterQueue = new DeadLetterQueue(this, 'PublishChunkDeadLetterQueue', { removalPolicy });
    this.publishChunkQueue = new WorkQueue(this, 'PublishChunkQueue', {
      deadLetterQueue: this.publishChunkDeadLetterQueue,
      consumerTimeout: Duration.millis(PUBLISH_CHUNK_TIMEOUT_MS),
      removalPolicy,
    });
    this.failedEventsQueue = new DeadLetterQueue(this, 'FailedEventsQueue', { receivesFrom: FAILED_EVENTS_SOURCES, removalPolicy });

    this.sesEventsTopic = new SesEventsTopic(this, 'SesEvents', { displayName: `Pressrun SES bounces and complaints (${config.stage})` });
    this.configurationSet = new MailConfigurationSet(this, 'ConfigurationSet', { eventsTopic: this.sesEventsTopic });
    this.emailIdentity = new ses.EmailIdentity(this, 'SenderIdentity', {
      identity: ses.Identity.domain(senderDomain(config)),
      configurationSet: this.configurationSet,
    });

    this.apiTokenSecret = secrets.apiToken;
    this.tokenSigningSecret = secrets.tokenSigningKey;

    this.keepWhatReadersDependOn(removalPolicy);
    this.addOutputs(config);
  }

  /**
   * The distribution's domain is in every feed reader and every mail sent, and the SES
   * identity's DKIM records are in the sender's DNS: prod keeps them, with the table, when the
   * stack is deleted or a change would replace them. What the distribution uses goes with it,
   * as CloudFront refuses to delete a function, policy or origin access control in use.
   */
  private keepWhatReadersDependOn(removalPolicy: RemovalPolicy): void {
    const readersDependOn = new Set([
      'AWS::CloudFront::Distribution',
      'AWS::CloudFront::Function',
      'AWS::CloudFront::ResponseHeadersPolicy',
      'AWS::CloudFront::OriginAccessControl',
      'AWS::SES::EmailIdentity',
      'AWS::SES::ConfigurationSet',
    ]);
    for (const child of this.node.findAll()) {
      if (child instanceof CfnResource && readersDependOn.has(child.cfnResourceType)) child.applyRemovalPolicy(removalPolicy);
    }
  }

  /**
   * The stateless stack reads this stack's values through Fn::GetStackOutput (weak references,
   * cdk.json), so no export blocks replacing a resource here. Deployments made with exports move
   * over in one deploy with -c @aws-cdk/core:defaultCrossStackReferences=both (docs/deploy.md),
   * in which the stateless stack stops importing while this stack still exports; the one export
   * named by hand before must be kept in that deploy too.
   */
  private keepLegacyExportWhileMovingToWeakReferences(): void {
    if (this.node.tryGetContext('@aws-cdk/core:defaultCrossStackReferences') !== 'both') return;
    this.exportValue(this.siteBucket.bucketArn, { name: `${this.stackName}-SiteBucketArn` });
  }

  private customDomain(config: StageConfig): { name: string; certificate: acm.ICertificate } | undefined {
    const domain = config.site.domain;
    if (!domain) return undefined;
    return { name: domain.name, certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn) };
  }

  private addOutputs(config: StageConfig): void {
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
    new CfnOutput(this, 'OriginSecretArn', {
      value: this.originSecret.secretArn,
      description: 'The secret CloudFront sends the API; rotate it as docs/deploy.md says',
    });
    this.emailIdentity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DNS record ${i + 1} of 3 that verifies ${senderDomain(config)} for SES (DKIM)`,
      });
    });
  }
}
