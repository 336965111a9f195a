/**
 * The send worker's root: SQS delivers a digest's batches, the mails the API queued and the
 * subscription requests it accepted; each batch is claimed in the ledger, personalized from
 * the digest rendered at publish (no MJML here) and mailed through SES or SMTP; each request
 * is claimed, counted against its address's limit, written and confirmed by mail.
 */
import { createSqsClient, readQueueMessage, SqsQueue } from '../adapters/sqs-queue.js';
import { readDeliveryConfig } from '../config.js';
import { createSender, resolveTokenSecret, roundDeps, type Sender } from './delivery.js';
import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { DynamoDeliveryMarks } from '../adapters/dynamo-delivery-marks.js';
import { DynamoManifestStore } from '../adapters/dynamo-manifest-store.js';
import { DynamoPublishRunStore } from '../adapters/dynamo-publish-run-store.js';
import type { RenderContent } from '../core/delivery/plan-round.js';
import type * as RenderDigestModule from '../core/digest/render-digest.js';
import type { SiteConfig } from '../core/site.js';
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
    articles: DynamoArticleStore,
    runs: DynamoPublishRunStore,
    marks: DynamoDeliveryMarks,
    manifest: DynamoManifestStore,
  });
  const rounds = roundDeps(stores, delivery.rounds, renderContentOnDemand(config.site));
  const mailer = createMailer(delivery.transport, client);
  const queue = new SqsQueue(createSqsClient(client), names.PRESSRUN_SEND_QUEUE_URL);
  const sender = onFirstUse(async () => {
    const [tokenSecret, accountRate] = await Promise.all([resolveTokenSecret(delivery, secrets), mailer.maxSendRate()]);
    return createSender({ site: config.site, mail: delivery.mail, tokenSecret }, stores, mailer, {
      limits: delivery.subscribeLimits,
      queue,
      planner: queue,
      rounds,
      workerOptions: { ratePerSecond: accountRate / CONCURRENT_SENDERS, ...delivery.guardrails, atRisk: delivery.atRisk },
    });
  });
  return { readMessage: readQueueMessage, sender };
}

/**
 * Renders a content with the publisher's template when a send's readers need one (their topics,
 * cadence or format differ from the digest's): MJML (about 300 ms to load) is loaded on the
 * first such render, so a worker that only sends batches never pays for it.
 */
function renderContentOnDemand(site: SiteConfig): RenderContent {
  let loaded: Promise<{ render: typeof RenderDigestModule.renderDigest; template: string }> | undefined;
  return async (input) => {
    loaded ??= Promise.all([import('../core/digest/render-digest.js'), import('../../templates/digest.mjml')]).then(([m, t]) => ({
      render: m.renderDigest,
      template: t.default,
    }));
    const { render, template } = await loaded;
    return render({ ...input, site, template });
  };
}
