/**
 * The publish function's root: runs a publish the API queued (the table's stream delivers
 * the new run item) or the scheduled one, invalidates on CloudFront what changed and starts
 * the digest's send. A full publish fans out: its chunks go on the publish chunk queue, which
 * the chunk function (the same bundle, `chunks`) carries out in parallel. Also the root of the preview function (GET /api/digest/preview), built
 * from the same bundle because rendering a digest needs MJML, which the API bundle leaves out.
 *
 * Digest cadence (PRESSRUN_DIGEST_CADENCE): `publish` sends each digest as its publish
 * makes it; with a schedule (the cloud default) only the scheduled publish makes a digest,
 * so nothing published in between is left out of one, and it then sends the newest digest
 * not yet sent.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { Hono } from 'hono';
import digestTemplate from '../../templates/digest.mjml';
import { CloudFrontInvalidator } from '../adapters/cloudfront-invalidator.js';
import { queuedRunsIn } from '../adapters/run-stream.js';
import { createSqsClient, SqsQueue } from '../adapters/sqs-queue.js';
import { readPublishChunkMessage, SqsPublishChunkQueue } from '../adapters/sqs-publish-chunks.js';
import { DynamoPublishChunkStore } from '../adapters/dynamo-publish-chunk-store.js';
import { PressrunError } from '../core/errors.js';
import { executePublishRun } from '../core/publish/execute-run.js';
import { fannedOutRunHolding } from '../core/publish/fan-out.js';
import { reconcileRuns } from '../core/publish/reconcile-runs.js';
import type { PublishReport, PublishRunStore } from '../core/publish/ports.js';
import { apiShell } from '../http/api-shell.js';
import { digestRoutes } from '../http/digest.js';
import { readRoundsConfig } from '../config.js';
import { DynamoDeliveryMarks } from '../adapters/dynamo-delivery-marks.js';
import { createSendStarter, roundDeps } from './delivery.js';
import { lambdaBasics, originGuard } from './lambda.js';
import { createPublishing, createSiteBucket, type Publishing } from './publishing.js';
import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { DynamoDigestStore } from '../adapters/dynamo-digest-store.js';
import { DynamoManifestStore } from '../adapters/dynamo-manifest-store.js';
import { DynamoPublishRunStore } from '../adapters/dynamo-publish-run-store.js';
import { DynamoSendLedger } from '../adapters/dynamo-send-ledger.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscriber-store.js';
import { createTableStores } from './table-stores.js';

export interface PublishRoot {
  /** The run ids a stream batch announces, with the sequence numbers a partial batch response names. */
  queuedRunsIn: typeof queuedRunsIn;
  /** Runs a run the API queued; undefined when it is no longer queued (a redelivered record). */
  runQueued(runId: string): Promise<PublishReport | undefined>;
  /**
   * The schedule firing: ends the runs left behind (queued ones the stream never delivered are
   * run, running ones whose invocation stopped are failed), publishes with a digest, then sends
   * the newest digest on a scheduled cadence.
   */
  runScheduled(scheduledTime: string): Promise<PublishReport | null>;
  /** One message of the publish chunk queue: a chunk of a fanned-out full publish, or its finish. */
  carryOutChunk(body: string): Promise<'landed' | 'carried-on' | 'finished' | 'stale'>;
  /** GET /api/digest/preview, for the bearer of the API token; an invalid template is a 422 naming its problems. */
  previewApp: Hono;
}

export function publishRoot(env: Record<string, string | undefined>): PublishRoot {
  const { config, names, client, secrets } = lambdaBasics(env, [
    'PRESSRUN_DISTRIBUTION_ID',
    'PRESSRUN_SEND_QUEUE_URL',
    'PRESSRUN_DIGEST_CADENCE',
    'PRESSRUN_PUBLISH_CHUNK_QUEUE_URL',
  ]);
  const stores = publishStores(config);
  const invalidator = new CloudFrontInvalidator(new CloudFrontClient(client), names.PRESSRUN_DISTRIBUTION_ID);
  const queue = new SqsQueue(createSqsClient(client), names.PRESSRUN_SEND_QUEUE_URL);
  const sends = createSendStarter(
    stores,
    queue,
    undefined,
    undefined,
    roundDeps(stores, readRoundsConfig(env), (i) => publishing.renderDigest(i)),
  );
  const sendsOnPublish = names.PRESSRUN_DIGEST_CADENCE === 'publish';
  const publishing: Publishing = createPublishing(
    config.site,
    { ...stores, objects: createSiteBucket(config).objects },
    {
      digestTemplate,
      invalidate: (changed) => invalidator.invalidate(changed),
      ...(sendsOnPublish ? { onDigestCreated: (digest) => sends.startSend(digest.id) } : {}),
      // The schedule sends the newest digest after its publish; a fanned-out one makes it in its finish, so that sends it.
      fanOut: {
        ...{ chunks: stores.chunks, runs: stores.runs },
        queue: new SqsPublishChunkQueue(createSqsClient(client), names.PRESSRUN_PUBLISH_CHUNK_QUEUE_URL),
        ...(sendsOnPublish ? {} : { onFinished: () => sends.sendLatest() }),
      },
    },
  );
  const execute = runExecutor(stores.runs, publishing, sendsOnPublish);
  return {
    queuedRunsIn,
    runQueued: (runId) => execute(runId, false),
    carryOutChunk: (body) => publishing.carryOut(readPublishChunkMessage(body)),
    runScheduled: async (scheduledTime) => {
      await endRunsLeftBehind(stores.runs, (runId) => execute(runId, false));
      const report = await execute(await queueScheduledRun(stores.runs, scheduledTime), true);
      // A retried schedule finds its run done (report undefined) and still nudges the send: starting one is idempotent.
      if (!sendsOnPublish) await sends.sendLatest();
      return report ?? null;
    },
    previewApp: apiShell({
      site: config.site,
      tables: [digestRoutes({ previewDigest: () => publishing.previewDigest(new Date()), apiToken: previewToken(env, secrets) })],
      guard: originGuard(env.PRESSRUN_ORIGIN_SECRET_ID, secrets),
    }),
  };
}

/**
 * Carries a queued run through (a scheduled one may make a digest); a run asked for while a
 * fanned-out one is under way stays queued until that one's finish hands it on.
 */
function runExecutor(runs: PublishRunStore, publishing: Publishing, sendsOnPublish: boolean) {
  return (runId: string, scheduled: boolean) =>
    executePublishRun(runId, {
      runs,
      publish: (run, onProgress, fanningOut) =>
        publishing.publishRun(run, {
          now: new Date(),
          full: run.full ?? false,
          digest: sendsOnPublish || scheduled,
          onProgress,
          fanningOut,
        }),
      now: () => new Date(),
      heldBy: (id) => fannedOutRunHolding(runs, id),
    });
}

/**
 * The publish function runs one invocation at a time, and a fanned-out run holds the site until
 * its finish: when the schedule fires, a run still running is one left behind, unless it fanned
 * out (those get hours: FANNED_OUT_RUNNING_MS).
 */
async function endRunsLeftBehind(runs: PublishRunStore, execute: (runId: string) => Promise<unknown>): Promise<void> {
  const ended = await reconcileRuns(
    { runs, start: async (runId) => void (await execute(runId)), now: () => new Date() },
    { queuedForMs: 60_000, runningForMs: 0 },
  );
  if (ended.restarted.length + ended.failed.length > 0) console.log('runs left behind', ended);
}

/**
 * The bearer token the preview asks for, read when a request first needs it. Only the preview
 * function is given the secret's name (the publish function needs none); without it the
 * preview serves nobody (requireBearer: an empty token is a 503, never an open door).
 */
function previewToken(env: Record<string, string | undefined>, secrets: { get(secretId: string): Promise<string> }): () => Promise<string> {
  const secretId = env.PRESSRUN_API_TOKEN_SECRET_ID ?? '';
  return async () => (secretId === '' ? '' : secrets.get(secretId));
}

/**
 * A scheduled publish is recorded as a run like any other, so it shows in the API. Its id
 * comes from the scheduled time: a retried delivery of the same schedule finds the run
 * already there, and executePublishRun skips a run that is not queued.
 */
async function queueScheduledRun(runs: PublishRunStore, scheduledTime: string): Promise<string> {
  const id = `scheduled-${scheduledTime.replace(/[^0-9A-Za-z]/g, '')}`;
  try {
    await runs.create({ id, status: 'queued', requestedAt: new Date().toISOString() });
  } catch (error) {
    if (!(error instanceof PressrunError && error.kind === 'conflict')) throw error;
  }
  return id;
}

/** The table's stores the publish function uses: publishing, and planning the sends of the digests it makes. */
function publishStores(config: Parameters<typeof createTableStores>[0]) {
  return createTableStores(config, {
    articles: DynamoArticleStore,
    manifest: DynamoManifestStore,
    runs: DynamoPublishRunStore,
    digests: DynamoDigestStore,
    subscribers: DynamoSubscriberStore,
    ledger: DynamoSendLedger,
    marks: DynamoDeliveryMarks,
    chunks: DynamoPublishChunkStore,
  });
}
