/**
 * The whole cloud on one machine: s3rver and dynalite in this process, data under .data/,
 * and the same adapters and use cases the Lambda functions use, pointed at them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureTable } from '../adapters/dynamo-table.js';
import { readConfig, readDeliveryConfig, type AppConfig, type DeliveryConfig } from '../config.js';
import { createServices, type Services } from '../compose.js';
import { createDeliveryServices, createDeliveryStores, type DeliveryServices } from '../compose-delivery.js';
import { createMailer } from '../compose-mailer.js';
import { startDynalite } from './dynalite.js';
import { startMaildev, type RunningMaildev } from './maildev.js';
import { InProcessMailOutbox } from './mail-outbox.js';
import { InProcessSendQueue } from './send-queue.js';
import { S3RVER_CREDENTIALS, startS3rver } from './s3rver.js';

export const projectRoot = new URL('../../', import.meta.url);

export interface LocalStack {
  config: AppConfig;
  services: Services;
  apiToken: string;
  dataDir: string;
  /** Subscriptions and digest sends, mailing through the local SMTP catcher. */
  delivery: DeliveryServices;
  deliveryConfig: DeliveryConfig;
  /** Where digest sends are queued; `idle()` waits for every queued batch. */
  sendQueue: InProcessSendQueue;
  /** The SMTP catcher (maildev) and its web inbox. */
  mail: RunningMaildev;
  close(): Promise<void>;
}

// Local runs are on Node 20 by design (Lambda runs 22); the SDK's reminder says nothing new here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function startLocalStack(options: {
  env: Record<string, string | undefined>;
  port: number;
  /** Where send progress is told; silent by default. */
  log?: (line: string) => void;
}): Promise<LocalStack> {
  const env = options.env;
  const dataDir = env.PRESSRUN_DATA_DIR ?? join(projectRoot.pathname, '.data');
  await mkdir(join(dataDir, 's3'), { recursive: true });
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });

  const bucket = env.PRESSRUN_BUCKET ?? 'pressrun-site';
  const s3 = await startS3rver({ directory: join(dataDir, 's3'), port: Number(env.PRESSRUN_S3_PORT ?? 0), buckets: [bucket] });
  const dynamo = await startDynalite({ path: join(dataDir, 'dynamodb'), port: Number(env.PRESSRUN_DYNAMODB_PORT ?? 0) });
  const maildev = await startMaildev({
    smtpPort: Number(env.PRESSRUN_SMTP_PORT ?? 0),
    webPort: Number(env.PRESSRUN_MAILDEV_WEB_PORT ?? 0),
    mailDirectory: join(dataDir, 'maildev'),
  });

  const config = readConfig({
    PRESSRUN_SITE_URL: `http://localhost:${options.port}/`,
    PRESSRUN_SITE_TITLE: 'Pressrun (local)',
    PRESSRUN_TABLE: 'pressrun',
    PRESSRUN_BUCKET: bucket,
    AWS_REGION: 'us-east-1',
    ...env,
    PRESSRUN_S3_ENDPOINT: s3.endpoint,
    PRESSRUN_DYNAMODB_ENDPOINT: dynamo.endpoint,
  });
  const tokenSecret = env.PRESSRUN_TOKEN_SECRET || (await localSecret(dataDir, 'token-secret', 48));
  const deliveryConfig = readDeliveryConfig(
    {
      PRESSRUN_MAIL_FROM: `"${config.site.title}" <digest@pressrun.localhost>`,
      PRESSRUN_DIGEST_CADENCE: 'publish',
      ...env,
      // Always the local catcher: a local run must never mail the world.
      PRESSRUN_MAIL_TRANSPORT: 'smtp',
      PRESSRUN_SMTP_HOST: maildev.smtp.host,
      PRESSRUN_SMTP_PORT: String(maildev.smtp.port),
      PRESSRUN_SMTP_TLS: 'none',
      PRESSRUN_TOKEN_SECRET: tokenSecret,
    },
    config.site,
  );
  // Built after the services (it needs their table client), called by them later: bound late.
  const late: { delivery?: DeliveryServices } = {};
  const services = await createServices(config, {
    templatesDir: new URL('templates/', projectRoot),
    credentials: S3RVER_CREDENTIALS,
    ...(deliveryConfig.cadence.kind === 'publish' ? { onDigestCreated: (digest) => late.delivery!.startSend(digest.id) } : {}),
  });
  await ensureTable(services.doc, config.tableName);
  const apiToken = env.PRESSRUN_API_TOKEN ?? (await localApiToken(dataDir));
  const sendQueue = new InProcessSendQueue({ worker: () => late.delivery!.worker, ...(options.log ? { log: options.log } : {}) });
  const mailer = createMailer(deliveryConfig.transport, { region: config.region });
  // Confirmations and test copies take the cloud's path: queued, then sent by the worker's code.
  const outbox = new InProcessMailOutbox({ sendQueued: () => late.delivery!.sendQueued, ...(options.log ? { log: options.log } : {}) });
  const delivery = createDeliveryServices({
    site: config.site,
    delivery: deliveryConfig,
    tokenSecret,
    stores: { ...createDeliveryStores(services.doc, config.tableName), digests: services.digests },
    mailer,
    outbox,
    queue: sendQueue,
  });
  late.delivery = delivery;

  return {
    config,
    services,
    apiToken,
    dataDir,
    delivery,
    deliveryConfig,
    sendQueue,
    mail: maildev,
    close: async () => {
      await sendQueue.close();
      outbox.close();
      mailer.close();
      services.s3.destroy();
      services.doc.destroy();
      await Promise.all([s3.close(), dynamo.close(), maildev.close()]);
    },
  };
}

/** A token generated once and kept with the data, so curl examples keep working across restarts. */
async function localApiToken(dataDir: string): Promise<string> {
  const file = join(dataDir, 'api-token');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const token = randomBytes(24).toString('base64url');
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return token;
  }
}

/** A signing key generated once and kept with the data, so links in mails already sent keep working across restarts. */
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
