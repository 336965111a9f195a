/**
 * A full publish as the cloud runs it: the publish bundle NodejsFunction deploys, handed the
 * queued run by the table's stream, then its chunks and finish each in an invocation of the
 * chunk function (the same bundle), every invocation a fresh `node` process with the stack's
 * environment and its function's memory as the heap limit. SQS and CloudFront are played by
 * stand-ins (tests/support/aws-stand-ins.ts); S3 and DynamoDB are the stores the caller serves.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bundleEntries } from '../../cdk/bundle-entries.js';
import { entryPath } from '../../cdk/bundling.js';
import type { AppConfig } from '../../functions/config.js';
import type { PublishRun, PublishRunStore } from '../../functions/core/publish/ports.js';
import { mapWithConcurrency } from '../../functions/core/concurrency.js';
import {
  runHandler,
  sqsEvent,
  startCloudFrontStandIn,
  startSqsStandIn,
  streamInsert,
  type QueuedMessage,
} from '../../tests/support/aws-stand-ins.js';
import { localEnvironment, stackFunctions } from '../../tests/support/stack-functions.js';

export interface Invocation {
  /** What it carried out: the start, a chunk's id, or the finish. */
  label: string;
  ms: number;
  cpuMs: number;
  peakRssBytes: number;
}

export interface BundledPublish {
  ms: number;
  status: string;
  written: number;
  /** The publish function's invocation: it plans the chunks and queues them. */
  start: Invocation;
  /** The chunk function's invocations, the finish last. */
  chunks: Invocation[];
  heapMb: number;
}

const CHUNK_QUEUE = 'pressrun-publish-chunks';

/** The publish and chunk functions' variables as the stack sets them, its references pointed at the local stores and stand-ins. */
function functionEnvironments(config: AppConfig, endpoints: { sqs: string; cloudfront: string }) {
  const functions = stackFunctions();
  const chunkQueueUrl = `${endpoints.sqs}/123456789012/${CHUNK_QUEUE}`;
  const references = {
    PRESSRUN_SITE_URL: config.site.baseUrl,
    PRESSRUN_TABLE: config.tableName,
    PRESSRUN_BUCKET: config.bucketName,
    PRESSRUN_DISTRIBUTION_ID: 'E2EXAMPLE123',
    PRESSRUN_SEND_QUEUE_URL: `${endpoints.sqs}/123456789012/pressrun-send`,
    PRESSRUN_PUBLISH_CHUNK_QUEUE_URL: chunkQueueUrl,
  };
  const runtime = {
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: config.endpoints.s3!,
    AWS_ENDPOINT_URL_DYNAMODB: config.endpoints.dynamodb!,
    AWS_ENDPOINT_URL_CLOUDFRONT: endpoints.cloudfront,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return {
    chunkQueueUrl,
    publish: { env: localEnvironment('publish', functions.publish, references, runtime), heapMb: functions.publish.memoryMb },
    chunks: {
      env: localEnvironment('publishChunks', functions.publishChunks, references, runtime),
      heapMb: functions.publishChunks.memoryMb,
    },
  };
}

/** Queues a full publish run as the API does; returns the stream's event for it (the item as written). */
async function queueFullRun(config: AppConfig, runs: PublishRunStore, doc: DynamoDBDocumentClient) {
  const runId = randomUUID();
  await runs.create({ id: runId, status: 'queued', requestedAt: new Date().toISOString(), full: true });
  const { Item } = await doc.send(
    new GetItemCommand({ TableName: config.tableName, Key: { pk: { S: `RUN#${runId}` }, sk: { S: 'RUN' } } }),
  );
  return { runId, event: streamInsert([Item!]) };
}

/** The run's status and how many objects its report says it wrote (a large one lists only the first keys). */
const outcomeOf = (run: PublishRun | undefined) => ({
  status: run?.status ?? 'missing',
  written: run?.report?.listed?.written ?? run?.report?.written.length ?? 0,
});

const labelOf = (message: QueuedMessage) => {
  const body = JSON.parse(message.body) as { chunk?: string; finish?: boolean; generation: number };
  return `${body.finish ? 'finish' : `chunk ${body.chunk}`} (generation ${body.generation})`;
};

export async function publishThroughBundle(input: {
  config: AppConfig;
  runs: PublishRunStore;
  doc: DynamoDBDocumentClient;
  /** Chunk invocations at once (the stack allows 8; this machine has fewer cores). */
  concurrency: number;
}): Promise<BundledPublish> {
  const { config } = input;
  const dir = await mkdtemp(join(tmpdir(), 'pressrun-bundles-'));
  const [cloudfront, sqs] = await Promise.all([startCloudFrontStandIn(), startSqsStandIn()]);
  try {
    const { publish: bundle } = bundleEntries({ publish: entryPath('publish') }, dir);
    const fns = functionEnvironments(config, { sqs: sqs.endpoint, cloudfront: cloudfront.endpoint });
    const invoke = async (
      label: string,
      exportName: string,
      event: unknown,
      fn: { env: Record<string, string>; heapMb: number },
    ): Promise<Invocation> => {
      const outcome = await runHandler(bundle.file, exportName, event, fn.env, { heapMb: fn.heapMb });
      const failures = (outcome.result as { batchItemFailures?: unknown[] } | null)?.batchItemFailures ?? [];
      if (!outcome.ok || failures.length > 0)
        throw new Error(
          `The ${exportName} invocation failed: ${outcome.errorMessage ?? JSON.stringify(outcome.result)}\n${outcome.output}`,
        );
      return { label, ms: Math.round(outcome.ms), cpuMs: outcome.cpuMs, peakRssBytes: outcome.peakRssBytes };
    };
    const { runId, event } = await queueFullRun(config, input.runs, input.doc);
    const started = performance.now();
    const start = await invoke('start', 'handler', event, fns.publish);
    const chunks: Invocation[] = [];
    const chunkEvent = (message: QueuedMessage) => sqsEvent([message], `arn:aws:sqs:${config.region}:123456789012:${CHUNK_QUEUE}`);
    // The chunks queue nothing but, once the last has landed, the finish: take until the queue stays empty.
    for (let waiting = sqs.take(fns.chunkQueueUrl); waiting.length > 0; waiting = sqs.take(fns.chunkQueueUrl))
      chunks.push(
        ...(await mapWithConcurrency(waiting, input.concurrency, (message) =>
          invoke(labelOf(message), 'chunks', chunkEvent(message), fns.chunks),
        )),
      );
    const ms = Math.round(performance.now() - started);
    const { status, written } = outcomeOf(await input.runs.get(runId));
    return { ms, status, written, start, chunks, heapMb: fns.chunks.heapMb };
  } finally {
    await Promise.all([cloudfront.close(), sqs.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}
