/**
 * The publish function: runs a publish the API queued (the table's stream delivers the new
 * run item), or the scheduled one, then invalidates on CloudFront what changed and starts
 * the digest's send. Its reserved concurrency of one keeps publishes from overlapping.
 * `preview` serves GET /api/digest/preview from this same bundle, because rendering needs
 * MJML, which the API bundle leaves out.
 *
 * Digest cadence (PRESSRUN_DIGEST_CADENCE): `publish` sends each digest as its publish
 * makes it; a schedule (the cloud default) fires this function, which publishes (so
 * articles that came due are in) and then sends the newest digest not yet sent.
 */
import { randomUUID } from 'node:crypto';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { handle } from 'hono/aws-lambda';
import digestTemplate from '../../templates/digest.mjml';
import { CloudFrontInvalidator } from '../adapters/cloudfront-invalidator.js';
import type { DynamoStreamEvent, StreamBatchResponse } from '../adapters/lambda-events.js';
import { queuedRunsIn } from '../adapters/run-stream.js';
import { createDocumentClient } from '../adapters/aws-clients.js';
import { DynamoDigestStore } from '../adapters/dynamo-digest-store.js';
import { createServices } from '../compose.js';
import { createDeliveryStores, createSendQueue } from '../compose-delivery.js';
import { readLambdaConfig } from '../config.js';
import { apiShell } from '../http/api-shell.js';
import { digestRoutes } from '../http/digest.js';
import { sendLatestDigest, startDigestSend, type StartSendDeps } from '../core/delivery/start-send.js';
import { PressrunError } from '../core/errors.js';
import { executePublishRun } from '../core/publish/execute-run.js';
import type { PublishReport } from '../core/publish/ports.js';

const { config, names } = readLambdaConfig(process.env, ['PRESSRUN_DISTRIBUTION_ID', 'PRESSRUN_SEND_QUEUE_URL', 'PRESSRUN_DIGEST_CADENCE']);
const client = { region: config.region };
const invalidator = new CloudFrontInvalidator(new CloudFrontClient(client), names.PRESSRUN_DISTRIBUTION_ID);
const doc = createDocumentClient(client);
const sends: StartSendDeps = {
  ...createDeliveryStores(doc, config.tableName),
  digests: new DynamoDigestStore(doc, config.tableName),
  queue: createSendQueue(names.PRESSRUN_SEND_QUEUE_URL, client),
  now: () => new Date(),
  newId: randomUUID,
};
const sendsOnPublish = names.PRESSRUN_DIGEST_CADENCE === 'publish';
const services = await createServices(config, {
  templates: { digest: digestTemplate },
  invalidate: (changed) => invalidator.invalidate(changed),
  ...(sendsOnPublish ? { onDigestCreated: (digest) => startDigestSend(sends, digest.id) } : {}),
});

/** What starts a publish: the digest schedule firing, or the stream of the table announcing runs the API queued. */
export type PublishEvent = { source: 'pressrun.schedule'; scheduledTime: string } | DynamoStreamEvent;

export async function handler(event: PublishEvent): Promise<PublishReport | StreamBatchResponse | null> {
  if ('Records' in event) return runQueued(event);
  const runId = await queueScheduledRun(event.scheduledTime);
  const report = await execute(runId, true);
  // A retried schedule finds its run done (report undefined) and still nudges the send: starting one is idempotent.
  if (!sendsOnPublish) await sendLatestDigest(sends);
  return report ?? null;
}

// With a scheduled cadence only the scheduled publish makes the digest, so nothing published in between is left out of one.
const execute = (runId: string, scheduled: boolean) =>
  executePublishRun(runId, {
    runs: services.runs,
    publish: () => services.publish({ now: new Date(), digest: sendsOnPublish || scheduled }),
    now: () => new Date(),
  });

/**
 * Runs the queued runs of a stream batch in order. A run that fails is recorded as failed by
 * executePublishRun; the record is reported so the stream retries it, and the retry finds
 * the run no longer queued and moves on.
 */
async function runQueued(event: DynamoStreamEvent): Promise<StreamBatchResponse> {
  for (const { runId, sequenceNumber } of queuedRunsIn(event)) {
    try {
      await execute(runId, false);
    } catch (error) {
      console.error(`publish run ${runId} failed`, error);
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
}

/**
 * A scheduled publish is recorded as a run like any other, so it shows in the API. Its id
 * comes from the scheduled time: a retried delivery of the same schedule finds the run
 * already there, and executePublishRun skips a run that is not queued.
 */
async function queueScheduledRun(scheduledTime: string): Promise<string> {
  const id = `scheduled-${scheduledTime.replace(/[^0-9A-Za-z]/g, '')}`;
  try {
    await services.runs.create({ id, status: 'queued', requestedAt: new Date().toISOString() });
  } catch (error) {
    if (!(error instanceof PressrunError && error.kind === 'conflict')) throw error;
  }
  return id;
}

/** GET /api/digest/preview, routed here by the HTTP API; an invalid template is a 422 naming its problems. */
export const preview = handle(
  apiShell({ site: config.site, tables: [digestRoutes({ previewDigest: () => services.previewDigest(new Date()) })] }),
);
