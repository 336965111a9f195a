/**
 * The send worker's root: SQS delivers a digest's batches, the mails the API queued and the
 * subscription requests it accepted; each batch is claimed in the ledger, personalized from
 * the digest rendered at publish (no MJML here) and mailed through SES or SMTP; each request
 * is claimed, counted against its address's limit, written and confirmed by mail.
 */
import { readQueueMessage } from '../adapters/sqs-queue.js';
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

export function sendWorkerRoot(env: Record<string, string | undefined>): SendWorkerRoot {
  const { config, client, secrets } = lambdaBasics(env, []);
  const delivery = readDeliveryConfig(env, config.site);
  const stores = createTableStores(config, {
    digests: DynamoDigestStore,
    subscribers: DynamoSubscriberStore,
    ledger: DynamoSendLedger,
    mailClaims: DynamoMailClaims,
    rateLimiter: DynamoRateLimiter,
  });
  const sender = onFirstUse(async () =>
    createSender(
      { site: config.site, mail: delivery.mail, tokenSecret: await resolveTokenSecret(delivery, secrets) },
      stores,
      createMailer(delivery.transport, client),
      { limits: delivery.subscribeLimits },
    ),
  );
  return { readMessage: readQueueMessage, sender };
}
