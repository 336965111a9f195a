/**
 * The code and what calls it: the Lambda functions, the HTTP API's stage and route, the
 * digest schedule, the SQS and SNS subscriptions, and the alarms. Safe to destroy and
 * redeploy at any time: nothing here holds data.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { AlarmTopic } from './constructs/alarm-topic.js';
import { ApiFunction } from './constructs/api-function.js';
import { ApiRoute } from './constructs/api-route.js';
import { ApiStage } from './constructs/api-stage.js';
import { ArticlesFunction } from './constructs/articles-function.js';
import { DigestPreviewFunction } from './constructs/digest-preview-function.js';
import { DigestSchedule, DigestScheduleRole } from './constructs/digest-schedule.js';
import type { PressrunFunction } from './constructs/pressrun-function.js';
import { PublishChunksFunction } from './constructs/publish-chunks-function.js';
import { PublishFunction } from './constructs/publish-function.js';
import { QueueAgeAlarm, QueueDepthAlarm } from './constructs/queue-depth-alarm.js';
import { RoundsSchedule } from './constructs/rounds-schedule.js';
import { SendWorker } from './constructs/send-worker.js';
import { SesEventsFunction } from './constructs/ses-events-function.js';
import { functionEnvironments } from './function-environments.js';
import type { StatefulStack } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  stateful: StatefulStack;
}

export class StatelessStack extends Stack {
  readonly api: ApiFunction;
  readonly articles: ArticlesFunction;
  readonly publish: PublishFunction;
  readonly publishChunks: PublishChunksFunction;
  readonly preview: DigestPreviewFunction;
  readonly sendWorker: SendWorker;
  readonly sesEvents: SesEventsFunction;
  readonly alarmTopic: AlarmTopic;

  // Construct ids decide logical ids and never change once deployed; see the note in stateful-stack.ts.
  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { displayName: `Pressrun alarms (${config.stage})`, email: config.alarmEmail });
    const { table, sendQueue, mailQueue, failedEventsQueue, apiTokenSecret, tokenSigningSecret, originSecret } = stateful;
    // What every function gets: the stage's log retention, alarm action and removal policy, and the table.
    const fn = { logRetentionDays: config.logRetentionDays, alarmAction: this.alarmTopic.alarmAction, removalPolicy, table };
    const environment = functionEnvironments(config, stateful);

    const publishing = {
      siteBucket: stateful.siteBucket,
      distribution: stateful.distribution,
      sendQueue,
      publishChunkQueue: stateful.publishChunkQueue,
    };
    this.publish = new PublishFunction(this, 'Publish', { ...fn, ...publishing, environment: environment.publish, failedEventsQueue });
    this.publishChunks = new PublishChunksFunction(this, 'PublishChunks', { ...fn, ...publishing, environment: environment.publishChunks });
    this.preview = new DigestPreviewFunction(this, 'DigestPreview', {
      ...fn,
      environment: environment.preview,
      apiTokenSecret,
      originSecret,
    });
    const api = { apiTokenSecret, tokenSigningSecret, originSecret, sendQueue, mailQueue };
    this.api = new ApiFunction(this, 'Api', { ...fn, environment: environment.api, ...api });
    this.articles = new ArticlesFunction(this, 'Articles', { ...fn, environment: environment.articles, apiTokenSecret, originSecret });
    this.sendWorker = new SendWorker(this, 'SendWorker', {
      ...fn,
      environment: environment.sendWorker,
      sender: config.email.sender,
      emailIdentity: stateful.emailIdentity,
      configurationSet: stateful.configurationSet,
      tokenSigningSecret,
      sendQueue,
      mailQueue,
    });
    this.sesEvents = new SesEventsFunction(this, 'SesEvents', {
      ...fn,
      environment: environment.sesEvents,
      eventsTopic: stateful.sesEventsTopic,
      failedEventsQueue,
    });

    this.addApiStageAndRoutes(config, stateful.httpApi, removalPolicy);
    if (config.digest.cadence === 'schedule') this.addDigestSchedule(config.digest, failedEventsQueue);
    new RoundsSchedule(this, 'RoundsSchedule', { sendQueue });
    this.addDeadLetterAlarms(stateful);
  }

  private addDigestSchedule({ cron, timeZone }: { cron: string; timeZone: string }, deadLetterQueue: sqs.IQueue): void {
    const role = new DigestScheduleRole(this, 'DigestScheduleRole');
    new DigestSchedule(this, 'DigestSchedule', { cron, timeZone, publishFunction: this.publish.fn, role, deadLetterQueue });
  }

  private addDeadLetterAlarms(stateful: StatefulStack): void {
    const action = this.alarmTopic.alarmAction;
    new QueueDepthAlarm(this, 'SendDeadLetterAlarm', {
      queue: stateful.sendDeadLetterQueue,
      description: 'Digest batches or queued mails failed five times and wait in the dead-letter queue',
      action,
    });
    new QueueDepthAlarm(this, 'PublishChunkDeadLetterAlarm', {
      queue: stateful.publishChunkDeadLetterQueue,
      description: 'A chunk of a fanned-out full publish failed five times: its run stays running until it is dealt with (see its chunks)',
      action,
    });
    new QueueAgeAlarm(this, 'PublishChunkAgeAlarm', {
      queue: stateful.publishChunkQueue,
      maxAge: Duration.minutes(30),
      description: 'A chunk of a fanned-out full publish has waited over 30 minutes: the chunk function is failing or throttled',
      action,
    });
    new QueueDepthAlarm(this, 'FailedEventsAlarm', {
      queue: stateful.failedEventsQueue,
      description: 'SES events, scheduled publishes or queued publish runs could not be processed',
      action,
    });
  }

  /**
   * The HTTP API: everything under /api to the API function, but /api/articles and below to
   * the articles function and /api/digest/preview to the preview function (API Gateway picks
   * the most specific route); throttled, with access logs.
   */
  private addApiStageAndRoutes(config: StageConfig, httpApi: apigwv2.IHttpApi, removalPolicy: RemovalPolicy): void {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy,
    });
    new ApiStage(this, 'ApiStage', { httpApi, throttle: config.apiThrottle, accessLogs });
    const integration = (id: string, fn: PressrunFunction) =>
      new HttpLambdaIntegration(id, fn.fn, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0 });
    const articles = integration('ArticlesIntegration', this.articles);
    new ApiRoute(this, 'ApiRoute', { httpApi, path: '/api/{proxy+}', integration: integration('ApiIntegration', this.api) });
    new ApiRoute(this, 'ArticlesRoute', { httpApi, path: '/api/articles', integration: articles });
    new ApiRoute(this, 'ArticleRoute', { httpApi, path: '/api/articles/{proxy+}', integration: articles });
    new ApiRoute(this, 'PreviewRoute', {
      httpApi,
      path: '/api/digest/preview',
      integration: integration('PreviewIntegration', this.preview),
    });
  }
}
