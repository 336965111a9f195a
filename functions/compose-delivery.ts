/**
 * Wires subscriptions and delivery: the DynamoDB stores, the mailer, the queue and the use
 * cases, for the API, the send worker, the scheduled send, the SES-events handler and the
 * local server alike. Kept apart from compose.ts, which loads MJML: the worker and the event
 * handler must start without it (they only fill tokens into digests rendered at publish);
 * and from compose-mailer.ts, whose MIME builder the API function (which only queues mail)
 * must not load.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClientOptions } from './adapters/aws-clients.js';
import { DynamoMailClaims } from './adapters/dynamo-mail-claims.js';
import { DynamoRateLimiter } from './adapters/dynamo-rate-limiter.js';
import { DynamoSendLedger } from './adapters/dynamo-send-ledger.js';
import { DynamoSubscriberStore } from './adapters/dynamo-subscriber-store.js';
import { createSqsClient, readQueueMessage, SqsQueue } from './adapters/sqs-queue.js';
import { ConfigError, type DeliveryConfig } from './config.js';
import { sendProgress } from './core/delivery/progress.js';
import { createSendWorker, type WorkerOptions } from './core/delivery/send-batch.js';
import { sendQueuedMail } from './core/delivery/queued-mail.js';
import { sendLatestDigest, startDigestSend, type StartSendDeps } from './core/delivery/start-send.js';
import { sendTestDigest } from './core/delivery/test-send.js';
import type { DigestStore } from './core/digest/ports.js';
import type { Mailer } from './core/mail/ports.js';
import type { Queue, QueuedMail } from './core/delivery/ports.js';
import type { SiteConfig } from './core/site.js';
import {
  checkLink,
  confirmSubscription,
  requestSubscription,
  suppressAddress,
  unsubscribe,
  type SubscriptionDeps,
} from './core/subscribers/subscriptions.js';
import { suppressionsFrom } from './core/subscribers/ses-events.js';
import { MIN_SECRET_LENGTH } from './core/subscribers/tokens.js';
import type { SnsEvent, SqsBatchResponse, SqsEvent } from './adapters/lambda-events.js';
import type { DeliveryApi } from './http/delivery-api.js';

export function createDeliveryStores(doc: DynamoDBDocumentClient, tableName: string) {
  return {
    subscribers: new DynamoSubscriberStore(doc, tableName),
    ledger: new DynamoSendLedger(doc, tableName),
    rateLimiter: new DynamoRateLimiter(doc, tableName),
    mailClaims: new DynamoMailClaims(doc, tableName),
  };
}

export type DeliveryStores = ReturnType<typeof createDeliveryStores>;

/** The SQS queue of send batches; its URL (PRESSRUN_SEND_QUEUE_URL) is required wherever sends are started in the cloud. */
export function createSendQueue(queueUrl: string | undefined, client: ClientOptions): SqsQueue {
  if (!queueUrl) throw new ConfigError(['PRESSRUN_SEND_QUEUE_URL is required to start digest sends']);
  return new SqsQueue(createSqsClient(client), queueUrl);
}

export interface DeliveryInput {
  site: SiteConfig;
  delivery: DeliveryConfig;
  /** The resolved signing key (DeliveryConfig.tokenSecret may only name the secret holding it). */
  tokenSecret: string;
  stores: DeliveryStores & { digests: DigestStore };
  /** The provider (SES or SMTP): mails digest batches and queued mails. Absent in the API function, which only queues mail. */
  mailer?: Mailer;
  /**
   * Where confirmations and test copies go: the mail queue in the cloud (SqsMailOutbox), an
   * in-process stand-in locally; the mailer itself when absent.
   */
  outbox?: Mailer;
  /** Absent where nothing starts sends (the send worker, the SES-events handler). */
  queue?: Queue;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  workerOptions?: Partial<WorkerOptions>;
}

export function createDeliveryServices(input: DeliveryInput) {
  const now = input.now ?? (() => new Date());
  const { stores } = input;
  const mailer: Mailer = {
    send: async (message) => {
      if (!input.mailer) throw new Error('This process was built without a mailer: it cannot send digests or queued mails');
      return input.mailer.send(message);
    },
  };
  const outbox = input.outbox ?? mailer;
  const subscriptions: SubscriptionDeps = {
    site: input.site,
    mail: input.delivery.mail,
    tokenSecret: input.tokenSecret,
    subscribers: stores.subscribers,
    mailer: outbox,
    rateLimiter: stores.rateLimiter,
  };
  const startDeps = (): StartSendDeps => {
    if (!input.queue) throw new Error('This process was built without a send queue: it cannot start sends');
    return { digests: stores.digests, subscribers: stores.subscribers, ledger: stores.ledger, queue: input.queue, now, newId: randomUUID };
  };
  const copyContext = { site: input.site, mail: input.delivery.mail, tokenSecret: input.tokenSecret };
  return {
    ...stores,
    mailer,
    subscriptions,
    startSend: (digestId: string) => startDigestSend(startDeps(), digestId),
    sendLatest: () => sendLatestDigest(startDeps()),
    progress: (digestId: string) => sendProgress(stores, digestId),
    sendTest: (digestId: string, email: unknown, at: Date) =>
      sendTestDigest({ ...copyContext, digests: stores.digests, mailer: outbox }, { digestId, email, now: at }),
    /** A mail the API queued (SqsMailOutbox), sent at most once. */
    sendQueued: (mail: QueuedMail) => sendQueuedMail({ mailer, claims: stores.mailClaims, now }, mail),
    suppress: (email: string, reason: 'bounced' | 'complained') => suppressAddress(stores, { email, reason, now: now() }),
    worker: createSendWorker({
      ...copyContext,
      digests: stores.digests,
      subscribers: stores.subscribers,
      ledger: stores.ledger,
      mailer,
      now,
      sleep: input.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      newId: randomUUID,
      ...(input.workerOptions ? { options: input.workerOptions } : {}),
    }),
  };
}

export type DeliveryServices = ReturnType<typeof createDeliveryServices>;

/** The API's view of delivery. */
export function deliveryApi(services: DeliveryServices, options: { clientAddressHeader?: string } = {}): DeliveryApi {
  const deps = services.subscriptions;
  return {
    subscribe: (request) => requestSubscription(deps, request),
    checkLink: async (token, purpose, now) => checkLink(deps, { token, purpose, now }),
    confirm: (token, now) => confirmSubscription(deps, { token, now }),
    unsubscribe: (token, source, now) => unsubscribe(deps, { token, source, now }),
    startSend: services.startSend,
    progress: services.progress,
    sendTest: services.sendTest,
    rateLimiter: services.rateLimiter,
    ...(options.clientAddressHeader ? { clientAddressHeader: options.clientAddressHeader } : {}),
  };
}

/**
 * A DeliveryApi whose services are built when a route first needs them: the API function
 * reads the signing key from Secrets Manager then, not at every cold start, and routes that
 * need no key keep answering should reading it fail. The rate limiter needs no key.
 */
export function deferredDeliveryApi(
  build: () => Promise<DeliveryApi>,
  ready: Pick<DeliveryApi, 'rateLimiter' | 'clientAddressHeader'>,
): DeliveryApi {
  return {
    ...ready,
    subscribe: async (request) => (await build()).subscribe(request),
    checkLink: async (token, purpose, now) => (await build()).checkLink(token, purpose, now),
    confirm: async (token, now) => (await build()).confirm(token, now),
    unsubscribe: async (token, source, now) => (await build()).unsubscribe(token, source, now),
    startSend: async (digestId) => (await build()).startSend(digestId),
    progress: async (digestId) => (await build()).progress(digestId),
    sendTest: async (digestId, email, now) => (await build()).sendTest(digestId, email, now),
  };
}

/** The signing key: given directly, or read from Secrets Manager through the secrets extension. */
export async function resolveTokenSecret(delivery: DeliveryConfig, secrets?: { get(secretId: string): Promise<string> }): Promise<string> {
  if ('value' in delivery.tokenSecret) return delivery.tokenSecret.value;
  if (!secrets) throw new ConfigError([`PRESSRUN_TOKEN_SECRET_ID is set but this process cannot read secrets; set PRESSRUN_TOKEN_SECRET`]);
  const value = await secrets.get(delivery.tokenSecret.secretId);
  if (value.length < MIN_SECRET_LENGTH)
    throw new ConfigError([`The secret ${delivery.tokenSecret.secretId} must hold at least ${MIN_SECRET_LENGTH} characters`]);
  return value;
}

/**
 * The send worker's SQS handling, for both of its queues. A batch names a digest send's
 * batch: one another worker holds, or one deferred by throttling, goes back to the queue
 * (partial batch response) and comes again after the visibility timeout. A mail is one the
 * API queued: it goes back only when the provider certainly did not take it. A message that
 * fails too often lands in its queue's DLQ.
 */
export async function handleSendMessages(
  handlers: Pick<DeliveryServices, 'worker' | 'sendQueued'>,
  event: SqsEvent,
  log: (line: string, detail?: unknown) => void = console.log,
): Promise<SqsBatchResponse> {
  const batchItemFailures: SqsBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = readQueueMessage(record.body);
      let again: boolean;
      if (message.kind === 'batch') {
        const report = await handlers.worker(message.ref);
        log(`batch ${message.ref.digestId}#${message.ref.batch}: ${report.outcome}`, report);
        again = report.outcome === 'busy' || report.outcome === 'deferred';
      } else {
        const outcome = await handlers.sendQueued(message.mail);
        // The address stays out of the logs; the id ties the line to the claim.
        log(`mail ${message.mail.id}: ${outcome}`);
        again = outcome === 'deferred';
      }
      if (again) batchItemFailures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      log(`message ${record.messageId} failed`, error);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

/** SES bounce and complaint notifications: every hard bounce and complaint suppresses its address for good. */
export async function handleSesNotifications(
  stores: Pick<DeliveryStores, 'subscribers'>,
  event: SnsEvent,
  now: () => Date = () => new Date(),
): Promise<{ suppressed: number }> {
  let suppressed = 0;
  for (const record of event.Records) {
    for (const { email, reason } of suppressionsFrom(record.Sns.Message)) {
      if (await suppressAddress(stores, { email, reason, now: now() })) suppressed++;
    }
  }
  return { suppressed };
}
