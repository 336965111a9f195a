/**
 * The environment variables of each function: what functions/config.ts reads to build its
 * configuration, from the stage's settings and the stateful stack's resources.
 */
import type { StageConfig } from './config.js';
import type { StatefulStack } from './stateful-stack.js';

export type FunctionName = 'publish' | 'publishChunks' | 'preview' | 'api' | 'articles' | 'sendWorker' | 'sesEvents';

export function functionEnvironments(config: StageConfig, stateful: StatefulStack): Record<FunctionName, Record<string, string>> {
  // Everything every function needs to build its configuration (functions/config.ts); no secret values, only their ARNs.
  const common: Record<string, string> = {
    PRESSRUN_SITE_URL: stateful.siteUrl,
    PRESSRUN_TABLE: stateful.table.tableName,
    PRESSRUN_BUCKET: stateful.siteBucket.bucketName,
    PRESSRUN_SITE_TITLE: config.site.title,
    PRESSRUN_SITE_DESCRIPTION: config.site.description,
    PRESSRUN_SITE_LANGUAGE: config.site.language,
    // The daily and weekly readers' hours are in the digest schedule's time zone.
    PRESSRUN_TIME_ZONE: config.digest.cadence === 'schedule' ? config.digest.timeZone : 'UTC',
  };
  // What the functions that mail or start sends read (functions/config.ts: readDeliveryConfig).
  const cadence = config.digest.cadence === 'publish' ? 'publish' : config.digest.cron;
  const mail: Record<string, string> = {
    PRESSRUN_MAIL_FROM: config.email.sender,
    PRESSRUN_SES_CONFIGURATION_SET: stateful.configurationSet.configurationSetName,
    PRESSRUN_TOKEN_SECRET_ID: stateful.tokenSigningSecret.secretArn,
    PRESSRUN_DIGEST_CADENCE: cadence,
  };
  // The functions behind the HTTP API answer only requests that carry the origin secret, so the viewer address the
  // distribution's viewer-request function stamps (edge-functions.ts) can be trusted for per-client limits.
  const behindTheApi: Record<string, string> = { PRESSRUN_ORIGIN_SECRET_ID: stateful.originSecret.secretArn };
  const publish = {
    ...common,
    PRESSRUN_DISTRIBUTION_ID: stateful.distribution.distributionId,
    PRESSRUN_SEND_QUEUE_URL: stateful.sendQueue.queueUrl,
    PRESSRUN_DIGEST_CADENCE: cadence,
    PRESSRUN_PUBLISH_CHUNK_QUEUE_URL: stateful.publishChunkQueue.queueUrl,
  };
  return {
    publish,
    // The same bundle, its `chunks` export.
    publishChunks: publish,
    // The publish bundle reads its configuration when loaded; the names grant nothing (this role may only read the table),
    // and the preview asks for the API token.
    preview: { ...publish, ...behindTheApi, PRESSRUN_API_TOKEN_SECRET_ID: stateful.apiTokenSecret.secretArn },
    api: {
      ...common,
      ...mail,
      ...behindTheApi,
      PRESSRUN_API_TOKEN_SECRET_ID: stateful.apiTokenSecret.secretArn,
      PRESSRUN_SEND_QUEUE_URL: stateful.sendQueue.queueUrl,
      PRESSRUN_MAIL_QUEUE_URL: stateful.mailQueue.queueUrl,
    },
    articles: { ...common, ...behindTheApi, PRESSRUN_API_TOKEN_SECRET_ID: stateful.apiTokenSecret.secretArn },
    // The worker hands back a batch it could not finish as a new, delayed message on the send queue.
    sendWorker: { ...common, ...mail, PRESSRUN_SEND_QUEUE_URL: stateful.sendQueue.queueUrl },
    sesEvents: common,
  };
}
