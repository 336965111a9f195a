/**
 * The local root: the whole cloud on one machine. s3rver, dynalite and an SMTP catcher run
 * in this process with their data under .data/, and the same adapters and use cases the
 * Lambda functions use are pointed at them; in-process queues stand in for SQS.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureTable } from '../adapters/dynamo-table.js';
import { readConfig, readDeliveryConfig, type AppConfig, type DeliveryConfig } from '../config.js';
import type { DeliveryApi } from '../http/delivery-api.js';
import { lockDataDir } from '../local/data-lock.js';
import { startDynalite } from '../local/dynalite.js';
import { InProcessMailOutbox } from '../local/mail-outbox.js';
import { startMaildev, type RunningMaildev } from '../local/maildev.js';
import { S3RVER_CREDENTIALS, startS3rver } from '../local/s3rver.js';
import { sendResumer, type ResumedSends } from '../local/resume-sends.js';
import { InProcessSendQueue } from '../local/send-queue.js';
import { createDeliveryApi, createSendStarter, createSender, roundDeps, type MailContext, type Sender } from './delivery.js';
import type { RenderContent } from '../core/delivery/plan-round.js';
import { createMailer } from './mailer.js';
import { InProcessPublishChunkQueue } from '../local/publish-chunk-queue.js';
import { createPublishing, createSiteBucket, readDigestTemplate, type Publishing, type SiteBucket } from './publishing.js';
import { ALL_TABLE_STORES, createTableStores, type TableStores } from './table-stores.js';

export const projectRoot = new URL('../../', import.meta.url);

type Env = Record<string, string | undefined>;

export interface LocalStack {
  config: AppConfig;
  deliveryConfig: DeliveryConfig;
  /** The table's stores and the site bucket (its S3 client and object store). */
  stores: TableStores & SiteBucket;
  publishing: Publishing;
  /** Where a full publish's chunks are carried out; `idle()` waits for every chunk queued. */
  chunkQueue: InProcessPublishChunkQueue;
  /** Subscriptions and digest sends, as the API offers them; mail goes to the local SMTP catcher. */
  delivery: DeliveryApi;
  apiToken: string;
  dataDir: string;
  /** Where digest sends are queued; `idle()` waits for every queued batch. */
  sendQueue: InProcessSendQueue;
  /** Where subscription requests and test copies are queued; `idle()` waits until the worker has carried out each. */
  mailQueue: InProcessMailOutbox;
  /**
   * Queues again every send a stopped process left unfinished (the ledger knows them), as SQS
   * keeps its messages across a crash; call it once at start (local/resume-sends.ts).
   */
  resumeSends(): Promise<ResumedSends>;
  /**
   * The clock's tick for readers on the per-article, daily and weekly cadences: plans a round
   * when someone may be due (the server calls it every minute, as the cloud's schedule does).
   */
  tickRounds(): Promise<unknown>;
  /** The SMTP catcher (maildev) and its web inbox. */
  mail: RunningMaildev;
  close(): Promise<void>;
}

// Local runs are on Node 20 by design (Lambda runs 22); the SDK's reminder says nothing new here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The stand-ins, on the ports the environment names (0: any free port), with their data under dataDir. */
async function startStandIns(env: Env, dataDir: string, bucket: string) {
  await mkdir(join(dataDir, 's3'), { recursive: true });
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  const s3 = await startS3rver({ directory: join(dataDir, 's3'), port: Number(env.PRESSRUN_S3_PORT ?? 0), buckets: [bucket] });
  const dynamo = await startDynalite({ path: join(dataDir, 'dynamodb'), port: Number(env.PRESSRUN_DYNAMODB_PORT ?? 0) });
  const maildev = await startMaildev({
    smtpPort: Number(env.PRESSRUN_SMTP_PORT ?? 0),
    webPort: Number(env.PRESSRUN_MAILDEV_WEB_PORT ?? 0),
    mailDirectory: join(dataDir, 'maildev'),
  });
  return { s3, dynamo, maildev };
}

/** The cloud's configuration with local defaults, the stand-ins' endpoints, and mail that never leaves this machine. */
function localConfig(env: Env, port: number, standIns: Awaited<ReturnType<typeof startStandIns>>, bucket: string, tokenSecret: string) {
  const config = readConfig({
    PRESSRUN_SITE_URL: `http://localhost:${port}/`,
    PRESSRUN_SITE_TITLE: 'Pressrun (local)',
    PRESSRUN_TABLE: 'pressrun',
    AWS_REGION: 'us-east-1',
    ...env,
    PRESSRUN_BUCKET: bucket,
    PRESSRUN_S3_ENDPOINT: standIns.s3.endpoint,
    PRESSRUN_DYNAMODB_ENDPOINT: standIns.dynamo.endpoint,
  });
  const deliveryConfig = readDeliveryConfig(
    {
      PRESSRUN_MAIL_FROM: `"${config.site.title}" <digest@pressrun.localhost>`,
      PRESSRUN_DIGEST_CADENCE: 'publish',
      // Trying the form a few times must not lock a developer out for an hour.
      PRESSRUN_SUBSCRIBE_PER_ADDRESS: '10',
      PRESSRUN_SUBSCRIBE_WINDOW_SECONDS: '300',
      ...env,
      // Always the local catcher: a local run must never mail the world.
      PRESSRUN_MAIL_TRANSPORT: 'smtp',
      PRESSRUN_SMTP_HOST: standIns.maildev.smtp.host,
      PRESSRUN_SMTP_PORT: String(standIns.maildev.smtp.port),
      PRESSRUN_SMTP_TLS: 'none',
      PRESSRUN_TOKEN_SECRET: tokenSecret,
    },
    config.site,
  );
  return { config, deliveryConfig };
}

/** Takes the data folder for this process (one at a time) and starts the stand-ins on it. */
async function takeDataDir(env: Env, holder: { command: string; url?: string }) {
  const dataDir = env.PRESSRUN_DATA_DIR ?? join(projectRoot.pathname, '.data');
  const bucket = env.PRESSRUN_BUCKET ?? 'pressrun-site';
  await mkdir(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir, holder);
  const standIns = await startStandIns(env, dataDir, bucket).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  return { dataDir, bucket, lock, standIns };
}

export async function startLocalStack(options: {
  env: Env;
  port: number;
  /** Who takes the data folder, as another process will be told; the site URL when this process serves it. */
  holder?: { command: string; url?: string };
  /** Where send progress is told; silent by default. */
  log?: (line: string) => void;
}): Promise<LocalStack> {
  const { env } = options;
  const { dataDir, bucket, lock, standIns } = await takeDataDir(env, options.holder ?? { command: 'pressrun' });
  // Kept with the data: links in mails already sent, and curl examples, keep working across restarts.
  const tokenSecret = env.PRESSRUN_TOKEN_SECRET || (await localSecret(dataDir, 'token-secret', 48));
  const apiToken = env.PRESSRUN_API_TOKEN ?? (await localSecret(dataDir, 'api-token', 24));
  const { config, deliveryConfig } = localConfig(env, options.port, standIns, bucket, tokenSecret);
  const stores = { ...createTableStores(config, ALL_TABLE_STORES, S3RVER_CREDENTIALS), ...createSiteBucket(config, S3RVER_CREDENTIALS) };
  await ensureTable(stores.doc, config.tableName);
  const context = { site: config.site, mail: deliveryConfig.mail, tokenSecret };
  const mailer = createMailer(deliveryConfig.transport, { region: config.region });
  // Contents are rendered with the publisher's template, as digests are: the publishing below renders both.
  const { delivery, sendQueue, outbox, sends } = localSends(context, stores, mailer, deliveryConfig, options, (input) =>
    publishing.renderDigest(input),
  );
  const { publishing, chunkQueue } = await localPublishing(config.site, stores, deliveryConfig, sends, options.log);
  const log = options.log ? { log: options.log } : {};
  const resumer = sendResumer({ ...stores, startSend: sends.startSend, startedAt: new Date(), ...log });
  return {
    config,
    deliveryConfig,
    stores,
    publishing,
    chunkQueue,
    delivery,
    tickRounds: () => sends.tick(),
    apiToken,
    dataDir,
    sendQueue,
    mailQueue: outbox,
    resumeSends: () => resumer.resume(),
    mail: standIns.maildev,
    close: async () => {
      resumer.close();
      await Promise.all([sendQueue.close(), outbox.close(), chunkQueue.close()]);
      mailer.close();
      stores.s3.destroy();
      stores.doc.destroy();
      await Promise.all([standIns.s3.close(), standIns.dynamo.close(), standIns.maildev.close()]);
      await lock.release();
    },
  };
}

/** The publishing of this process; a full publish fans out as in AWS, its chunks through an in-process queue as through the chunk function there. */
async function localPublishing(
  site: AppConfig['site'],
  stores: TableStores & SiteBucket,
  deliveryConfig: DeliveryConfig,
  sends: { startSend(digestId: string): Promise<unknown> },
  log: ((line: string) => void) | undefined,
) {
  const chunkQueue = new InProcessPublishChunkQueue({ carryOut: (message) => publishing.carryOut(message), ...(log ? { log } : {}) });
  const publishing: Publishing = createPublishing(site, stores, {
    digestTemplate: await readDigestTemplate(new URL('templates/', projectRoot)),
    ...(deliveryConfig.cadence.kind === 'publish' ? { onDigestCreated: (digest) => sends.startSend(digest.id) } : {}),
    fanOut: { chunks: stores.chunks, runs: stores.runs, queue: chunkQueue },
  });
  return { publishing, chunkQueue };
}

/** The send worker's work behind in-process queues, and what starts and plans sends in this process. */
function localSends(
  context: MailContext,
  stores: TableStores,
  mailer: ReturnType<typeof createMailer>,
  deliveryConfig: DeliveryConfig,
  options: { log?: (line: string) => void },
  renderContent: RenderContent,
) {
  const rounds = roundDeps(stores, deliveryConfig.rounds, renderContent);
  const senderOptions = {
    limits: deliveryConfig.subscribeLimits,
    workerOptions: { ...deliveryConfig.guardrails, atRisk: deliveryConfig.atRisk },
  };
  const { sendQueue, outbox } = inProcessQueues(createSender(context, stores, mailer, senderOptions), options);
  const limits = deliveryConfig.subscribeLimits;
  return {
    sendQueue,
    outbox,
    sends: createSendStarter(stores, sendQueue, undefined, undefined, rounds),
    delivery: createDeliveryApi(context, stores, { outbox, requests: outbox, queue: sendQueue, limits, rounds }),
  };
}

/** The cloud's paths: batches, single mails and subscription requests are queued, then handled by the send worker's code, in this process. */
function inProcessQueues(sender: Sender, { log }: { log?: (line: string) => void }) {
  const logs = log ? { log } : {};
  return {
    sendQueue: new InProcessSendQueue({ worker: sender.worker, ...logs }),
    outbox: new InProcessMailOutbox({ sendQueued: sender.sendQueued, subscribe: sender.subscribe, ...logs }),
  };
}

/** A random value generated once and kept in dataDir/name, readable by its owner only. */
async function localSecret(dataDir: string, name: string, bytes: number): Promise<string> {
  const file = join(dataDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(bytes).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
