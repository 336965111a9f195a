/**
 * The code and what calls it: the Lambda functions, the HTTP API's stage and route, the
 * digest schedule, the SQS and SNS subscriptions, and the alarms. Safe to destroy and
 * redeploy at any time: nothing here holds data.
 */
import { Duration, Fn, RemovalPolicy, Stack, TimeZone, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SnsEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { PressrunFunction } from './constructs/pressrun-function.js';
import { SEND_WORKER_TIMEOUT, type StatefulStack } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  stateful: StatefulStack;
}

/** DynamoDB item actions the adapters use (single-item conditional writes, batches, queries); no scans, no table administration. */
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export class StatelessStack extends Stack {
  readonly api: PressrunFunction;
  readonly articles: PressrunFunction;
  readonly publish: PressrunFunction;
  readonly preview: PressrunFunction;
  readonly sendWorker: PressrunFunction;
  readonly sesEvents: PressrunFunction;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.alarmTopic = new sns.Topic(this, 'Alarms', { displayName: `Pressrun alarms (${config.stage})`, enforceSSL: true });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(config.alarmEmail));
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key, and a customer-managed key would be a fixed monthly cost; alarm messages carry only alarm names and metric values.',
    });
    const alarmAction = new cloudwatchActions.SnsAction(this.alarmTopic);

    // Everything every function needs to build its configuration (functions/config.ts); no secret values, only their ARNs.
    const common: Record<string, string> = {
      PRESSRUN_SITE_URL: stateful.siteUrl,
      PRESSRUN_TABLE: stateful.table.tableName,
      PRESSRUN_BUCKET: stateful.siteBucket.bucketName,
      PRESSRUN_SITE_TITLE: config.site.title,
      PRESSRUN_SITE_DESCRIPTION: config.site.description,
      PRESSRUN_SITE_LANGUAGE: config.site.language,
    };
    // What the functions that mail or start sends read (functions/config.ts: readDeliveryConfig).
    const cadence = config.digest.cadence === 'publish' ? 'publish' : config.digest.cron;
    const mail: Record<string, string> = {
      PRESSRUN_MAIL_FROM: config.email.sender,
      PRESSRUN_SES_CONFIGURATION_SET: stateful.configurationSet.configurationSetName,
      PRESSRUN_TOKEN_SECRET_ID: stateful.tokenSigningSecret.secretArn,
      PRESSRUN_DIGEST_CADENCE: cadence,
    };
    const fnDefaults = { logRetentionDays: config.logRetentionDays, alarmAction, removalPolicy };

    const publishEnvironment = {
      ...common,
      PRESSRUN_DISTRIBUTION_ID: stateful.distribution.distributionId,
      PRESSRUN_SEND_QUEUE_URL: stateful.sendQueue.queueUrl,
      PRESSRUN_DIGEST_CADENCE: cadence,
    };
    this.publish = new PressrunFunction(this, 'Publish', {
      ...fnDefaults,
      entry: 'publish',
      description: 'Publish runs: pages, feeds and the digest to the site bucket',
      environment: publishEnvironment,
      memorySize: 1024,
      timeout: Duration.minutes(10),
      // Publishes never overlap: a second request waits in Lambda's asynchronous queue.
      reservedConcurrentExecutions: 1,
      alarmOnThrottles: false,
    });
    this.preview = new PressrunFunction(this, 'DigestPreview', {
      ...fnDefaults,
      entry: 'publish',
      handler: 'preview',
      description: 'Serves GET /api/digest/preview: renders the next digest (MJML stays out of the API bundle)',
      // The publish bundle reads its configuration when loaded; the names grant nothing (this role may only read the table).
      environment: publishEnvironment,
      memorySize: 1024,
      timeout: Duration.seconds(30),
    });
    this.api = new PressrunFunction(this, 'Api', {
      ...fnDefaults,
      entry: 'api',
      description: 'The HTTP API (Hono)',
      environment: {
        ...common,
        ...mail,
        PRESSRUN_API_TOKEN_SECRET_ID: stateful.apiTokenSecret.secretArn,
        PRESSRUN_SEND_QUEUE_URL: stateful.sendQueue.queueUrl,
        PRESSRUN_MAIL_QUEUE_URL: stateful.mailQueue.queueUrl,
      },
      memorySize: 1024,
      timeout: Duration.seconds(15),
      readsSecrets: true,
    });
    // The article routes parse Markdown and sanitize HTML: apart, so the API function readers start cold stays small.
    this.articles = new PressrunFunction(this, 'Articles', {
      ...fnDefaults,
      entry: 'articles',
      description: 'The article routes of the HTTP API (Hono): Markdown and JSON articles in, stored articles out',
      environment: { ...common, PRESSRUN_API_TOKEN_SECRET_ID: stateful.apiTokenSecret.secretArn },
      memorySize: 1024,
      timeout: Duration.seconds(15),
      readsSecrets: true,
    });
    this.sendWorker = new PressrunFunction(this, 'SendWorker', {
      ...fnDefaults,
      entry: 'sendWorker',
      description: 'Sends digest batches from the send queue, and the mails the API queues',
      environment: { ...common, ...mail },
      timeout: SEND_WORKER_TIMEOUT,
      readsSecrets: true,
    });
    this.sesEvents = new PressrunFunction(this, 'SesEvents', {
      ...fnDefaults,
      entry: 'sesEvents',
      description: 'Suppresses addresses that hard-bounced or complained (SES events via SNS)',
      environment: common,
      memorySize: 256,
      timeout: Duration.seconds(30),
    });

    // Table: reads for the preview, reads and writes for the rest, on the table and its one index.
    const tableResources = [stateful.table.tableArn, `${stateful.table.tableArn}/index/gsi1`];
    allow(this.preview, TABLE_READ, tableResources);
    for (const fn of [this.api, this.articles, this.publish, this.sendWorker, this.sesEvents])
      allow(fn, [...TABLE_READ, ...TABLE_WRITE], tableResources);

    // Site bucket: only the publish function writes, and only objects (no bucket settings).
    allow(this.publish, ['s3:PutObject', 's3:DeleteObject'], [`${Fn.importValue(stateful.siteBucketArnExport)}/*`]);
    Validations.of(this.publish.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${stateful.siteBucketArnExport}/*]`,
      reason:
        'A publish writes and deletes pages and feeds under any key of the site bucket (articles/, tags/, digests/, the feeds at the root); the wildcard covers the objects of that one bucket, and no bucket-level action is granted.',
    });
    stateful.distribution.grantCreateInvalidation(this.publish.role);

    // The API starts a publish run by writing it: the table's stream hands new queued runs to the
    // publish function. While a publish runs, its reserved concurrency of one throttles the next
    // one, which the stream retries (no retry limit, so throttling never drops a run); a run that
    // fails is recorded failed and retried once to no effect; what the stream cannot hand over
    // within the schedule's six hours goes to the failed-events queue.
    this.publish.fn.addEventSource(
      new DynamoEventSource(stateful.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(stateful.failedEventsQueue),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { sk: { S: FilterRule.isEqual('RUN') }, status: { S: FilterRule.isEqual('queued') } } },
          }),
        ],
      }),
    );
    Validations.of(this.publish.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "dynamodb:ListStreams, which Lambda's stream poller needs, has no resource-level permissions; reading records (GetRecords, GetShardIterator, DescribeStream) is granted on this table's stream alone.",
    });
    allow(this.api, ['secretsmanager:GetSecretValue'], [stateful.apiTokenSecret.secretArn, stateful.tokenSigningSecret.secretArn]);
    allow(this.articles, ['secretsmanager:GetSecretValue'], [stateful.apiTokenSecret.secretArn]);

    // Mail: only the worker sends (digests, and the confirmations and test copies the API queues); only from the sender's identity, through the configuration set.
    const sesResources = [
      stateful.emailIdentity.emailIdentityArn,
      this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: stateful.configurationSet.configurationSetName }),
    ];
    allow(this.sendWorker, ['ses:SendEmail', 'ses:SendRawEmail'], sesResources);
    allow(this.sendWorker, ['secretsmanager:GetSecretValue'], [stateful.tokenSigningSecret.secretArn]);

    // Sends are started by a publish (or its schedule) and by POST /api/digests/{id}/send: both queue batches.
    allow(this.publish, ['sqs:SendMessage'], [stateful.sendQueue.queueArn]);
    allow(this.api, ['sqs:SendMessage'], [stateful.sendQueue.queueArn, stateful.mailQueue.queueArn]);
    this.sendWorker.fn.addEventSource(
      new SqsEventSource(stateful.sendQueue, { batchSize: 5, maxConcurrency: 2, reportBatchItemFailures: true }),
    );
    this.sendWorker.fn.addEventSource(
      new SqsEventSource(stateful.mailQueue, { batchSize: 10, maxConcurrency: 2, reportBatchItemFailures: true }),
    );

    // Bounces and complaints: SNS invokes asynchronously; what still fails after retries is kept.
    this.sesEvents.fn.addEventSource(new SnsEventSource(stateful.sesEventsTopic));
    this.sesEvents.fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new destinations.SqsDestination(stateful.failedEventsQueue) });

    // The HTTP API: everything under /api to the API function, but /api/articles and below to
    // the articles function and /api/digest/preview to the preview function (API Gateway picks
    // the most specific route); throttled, with access logs.
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy,
    });
    new apigwv2.HttpStage(this, 'ApiStage', {
      httpApi: stateful.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiThrottle.ratePerSecond, burstLimit: config.apiThrottle.burst },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });
    const payload = { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0 };
    const apiIntegration = new HttpLambdaIntegration('ApiIntegration', this.api.fn, payload);
    const articlesIntegration = new HttpLambdaIntegration('ArticlesIntegration', this.articles.fn, payload);
    const previewIntegration = new HttpLambdaIntegration('PreviewIntegration', this.preview.fn, payload);
    const routes = [
      new apigwv2.HttpRoute(this, 'ApiRoute', {
        httpApi: stateful.httpApi,
        routeKey: apigwv2.HttpRouteKey.with('/api/{proxy+}', apigwv2.HttpMethod.ANY),
        integration: apiIntegration,
      }),
      new apigwv2.HttpRoute(this, 'ArticlesRoute', {
        httpApi: stateful.httpApi,
        routeKey: apigwv2.HttpRouteKey.with('/api/articles', apigwv2.HttpMethod.ANY),
        integration: articlesIntegration,
      }),
      new apigwv2.HttpRoute(this, 'ArticleRoute', {
        httpApi: stateful.httpApi,
        routeKey: apigwv2.HttpRouteKey.with('/api/articles/{proxy+}', apigwv2.HttpMethod.ANY),
        integration: articlesIntegration,
      }),
      new apigwv2.HttpRoute(this, 'PreviewRoute', {
        httpApi: stateful.httpApi,
        routeKey: apigwv2.HttpRouteKey.with('/api/digest/preview', apigwv2.HttpMethod.ANY),
        integration: previewIntegration,
      }),
    ];
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Authorization is per route inside the app: write routes and article reads check a bearer token from Secrets Manager in constant time; subscribe, confirm, unsubscribe and the feeds are public by design (RFC 8058 one-click unsubscribe must work without credentials).',
      });
    }

    if (config.digest.cadence === 'schedule') {
      const scheduleRole = new iam.Role(this, 'DigestScheduleRole', {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
        description: 'Lets EventBridge Scheduler start the scheduled publish (Pressrun)',
      });
      new scheduler.Schedule(this, 'DigestSchedule', {
        description: 'Publishes and sends the digest of what is new',
        schedule: scheduler.ScheduleExpression.expression(config.digest.cron, TimeZone.of(config.digest.timeZone)),
        target: new schedulerTargets.LambdaInvoke(this.publish.fn, {
          role: scheduleRole,
          input: scheduler.ScheduleTargetInput.fromObject({
            source: 'pressrun.schedule',
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
          deadLetterQueue: stateful.failedEventsQueue,
          retryAttempts: 3,
          maxEventAge: Duration.hours(6),
        }),
      });
      Validations.of(scheduleRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.publish.fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason:
          "CDK's Scheduler target grants invoke on the publish function and its qualified ARNs (function:*); the function has no versions or aliases, so this is that one function.",
      });
    }

    depthAlarm(
      this,
      'SendDeadLetterAlarm',
      stateful.sendDeadLetterQueue,
      'Digest batches or queued mails failed five times and wait in the dead-letter queue',
      alarmAction,
    );
    depthAlarm(
      this,
      'FailedEventsAlarm',
      stateful.failedEventsQueue,
      'SES events, scheduled publishes or queued publish runs could not be processed',
      alarmAction,
    );
  }
}

function allow(fn: PressrunFunction, actions: string[], resources: string[]): void {
  fn.role.addToPolicy(new iam.PolicyStatement({ actions, resources }));
}

function depthAlarm(scope: Construct, id: string, queue: sqs.IQueue, description: string, action: cloudwatch.IAlarmAction): void {
  const alarm = queue
    .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })
    .createAlarm(scope, id, {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
  alarm.addAlarmAction(action);
}
