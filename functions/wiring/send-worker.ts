/**
 * The send worker's root: SQS delivers a digest's batches, the mails the API queued and the
 * subscription requests it accepted; each batch is claimed in the ledger, personalized from
 * the digest rendered at publish (no MJML here) and mailed through SES or SMTP; each request
 * is claimed, counted against its address's limit, written and confirmed by mail.
 */
import { createSqsClient, readQueueMessage, SqsQueue } from '../adapters/sqs-queue.js';
import { readDeliveryConfig } from '../config.js';
import { createSender, resolveTokenSecret, type Sender } from './delivery.js';
import { lambdaBasics } from './lambda.js';
import { createMailer } from './mailer.js';
import { onFirstUse } from './on-first-use.js';
import { DynamoDigestStore } from '../adapters/dynamo-digest-store.js';
import { DynamoMailClaims } from '../adapters/dynamo-mail-claims.js';
import { DynamoRateLimiter } from '../adapters/dynamo-rate-limiter.js';
import { DynamoSendLedger } from '../adapters/dynamo-send-ledger.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscriber-store.js';
import { createTableStores } from './table-stores.js';

export interface SendWorkerRoot {
  readMessage: typeof readQueueMessage;
  /** Built on the first message: the signing key may come from the secrets extension, which does not answer during init. */
  sender(): Promise<Sender>;
}

/**
 * How many invocations of the worker may send at once: the stack's two SQS event sources, each
 * at a maximum concurrency of 2 (cdk/constructs/send-worker.ts). Each paces itself to its share
 * of the account's rate, so together they stay under it.
 */
const CONCURRENT_SENDERS = 4;

export function sendWorkerRoot(env: Record<string, string | undefined>): SendWorkerRoot {
  const { config, client, secrets, names } = lambdaBasics(env, ['PRESSRUN_SEND_QUEUE_URL']);
  const delivery = readDeliveryConfig(env, config.site);
  const stores = createTableStores(config, {
    digests: DynamoDigestStore,
    subscribers: DynamoSubscriberStore,
    ledger: DynamoSendLedger,
    mailClaims: DynamoMailClaims,
    rateLimiter: DynamoRateLimiter,
  });
  const mailer = createMailer(delivery.transport, client);
  const queue = new SqsQueue(createSqsClient(client), names.PRESSRUN_SEND_QUEUE_URL);
  const sender = onFirstUse(async () => {
    const [tokenSecret, accountRate] = await Promise.all([resolveTokenSecret(delivery, secrets), mailer.maxSendRate()]);
    return createSender({ site: config.site, mail: delivery.mail, tokenSecret }, stores, mailer, {
      limits: delivery.subscribeLimits,
      queue,
      workerOptions: { ratePerSecond: accountRate / CONCURRENT_SENDERS, ...delivery.guardrails },
    });
  });
  return { readMessage: readQueueMessage, sender };
}
