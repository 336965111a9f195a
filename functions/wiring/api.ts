/**
 * The API function's root: every route but /api/articles* (articles.ts) and
 * /api/digest/preview (publish.ts). A publish run it queues reaches the publish function
 * through the table's stream and its mails go to the mail queue, so it holds no MJML, no S3
 * client, no MIME builder and no SES client: its cold start is what readers wait for.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { getConnInfo } from 'hono/aws-lambda';
import { tableStreamTrigger } from '../adapters/run-stream.js';
import { SqsMailOutbox } from '../adapters/sqs-mail-outbox.js';
import { createSqsClient, SqsQueue } from '../adapters/sqs-queue.js';
import { SqsSubscribeRequests } from '../adapters/sqs-subscribe-requests.js';
import { readDeliveryConfig } from '../config.js';
import { articleDocs } from '../http/article-docs.js';
import { apiRoutes } from '../http/api-routes.js';
import { apiShell } from '../http/api-shell.js';
import { digestDocs } from '../http/digest.js';
import { createDeliveryApi, resolveTokenSecret, subscriptionAcceptor } from './delivery.js';
import { lambdaBasics, originGuard } from './lambda.js';
import { deferredDeliveryApi, onFirstUse } from './on-first-use.js';
import { createTableStores } from './table-stores.js';
import { DynamoDigestStore } from '../adapters/dynamo-digest-store.js';
import { DynamoPublishRunStore } from '../adapters/dynamo-publish-run-store.js';
import { DynamoRateLimiter } from '../adapters/dynamo-rate-limiter.js';
import { DynamoSendLedger } from '../adapters/dynamo-send-ledger.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscriber-store.js';

/**
 * CloudFront's /api/* behavior sets this header from the viewer's address (cdk/constructs/
 * edge-functions.ts), replacing any a client sent; per-client rate limits key on it. It can
 * be trusted because the origin guard lets in only requests that came through CloudFront.
 */
const VIEWER_ADDRESS_HEADER = 'x-pressrun-viewer-address';

export function apiRoot(env: Record<string, string | undefined>): Hono {
  const { config, names, client, secrets } = lambdaBasics(env, [
    'PRESSRUN_API_TOKEN_SECRET_ID',
    'PRESSRUN_MAIL_QUEUE_URL',
    'PRESSRUN_SEND_QUEUE_URL',
    'PRESSRUN_ORIGIN_SECRET_ID',
  ]);
  const delivery = readDeliveryConfig(env, config.site);
  const stores = createTableStores(config, {
    runs: DynamoPublishRunStore,
    digests: DynamoDigestStore,
    subscribers: DynamoSubscriberStore,
    ledger: DynamoSendLedger,
    rateLimiter: DynamoRateLimiter,
  });
  const sqs = createSqsClient(client);
  // A subscribe only queues the request (the send worker does the rest): no key, no store, the same work for every address.
  const requests = new SqsSubscribeRequests(sqs, names.PRESSRUN_MAIL_QUEUE_URL);
  const ready = {
    subscribe: subscriptionAcceptor(requests),
    rateLimiter: stores.rateLimiter,
    perClient: delivery.subscribeLimits.perClient,
  };
  const buildDelivery = onFirstUse(async () =>
    createDeliveryApi({ site: config.site, mail: delivery.mail, tokenSecret: await resolveTokenSecret(delivery, secrets) }, stores, {
      outbox: new SqsMailOutbox(sqs, names.PRESSRUN_MAIL_QUEUE_URL),
      requests,
      // The snapshot of a send's readers is the send worker's: at 100,000 readers it outlasts an API request.
      ...sendQueue(new SqsQueue(sqs, names.PRESSRUN_SEND_QUEUE_URL)),
      limits: delivery.subscribeLimits,
    }),
  );
  const routes = apiRoutes({
    site: config.site,
    apiToken: () => secrets.get(names.PRESSRUN_API_TOKEN_SECRET_ID),
    runs: stores.runs,
    digests: stores.digests,
    publisher: tableStreamTrigger,
    delivery: deferredDeliveryApi(buildDelivery, ready),
    clientAddress: { trustedHeader: VIEWER_ADDRESS_HEADER, connInfo: getConnInfo },
    now: () => new Date(),
    newId: randomUUID,
  });
  // Served by functions of their own (cdk/constructs/articles-function.ts, digest-preview-function.ts), documented here all the same.
  const elsewhere = [...Object.values(articleDocs), digestDocs.preview];
  return apiShell({
    site: config.site,
    tables: routes,
    openApi: { alsoDocumented: elsewhere },
    guard: originGuard(names.PRESSRUN_ORIGIN_SECRET_ID, secrets),
  });
}

/** The send queue, for batches and for the sends the API hands to the worker to plan. */
const sendQueue = (queue: SqsQueue) => ({ queue, planner: queue });
