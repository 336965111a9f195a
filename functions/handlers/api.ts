/**
 * The API function: the Hono app behind API Gateway (HTTP API, payload 2.0), every route but
 * /api/articles* (handlers/articles.ts) and /api/digest/preview (the publish bundle's
 * `preview`). A publish run it queues reaches the publish function through the table's
 * stream and mails go to the mail queue, so this bundle holds no MJML, no S3 or Lambda
 * client, no MIME builder and no SES client (see compose-stores.ts).
 */
import { randomUUID } from 'node:crypto';
import { handle } from 'hono/aws-lambda';
import { tableStreamTrigger } from '../adapters/run-stream.js';
import { SecretsExtension } from '../adapters/secrets-extension.js';
import { SqsMailOutbox } from '../adapters/sqs-mail-outbox.js';
import { createSqsClient, SqsQueue } from '../adapters/sqs-queue.js';
import { createDeliveryServices, createDeliveryStores, deferredDeliveryApi, deliveryApi, resolveTokenSecret } from '../compose-delivery.js';
import { createTableStores } from '../compose-stores.js';
import { readDeliveryConfig, readLambdaConfig } from '../config.js';
import { articleDocs } from '../http/article-docs.js';
import { digestDocs } from '../http/digest.js';
import { apiRoutes } from '../http/api-routes.js';
import { apiShell } from '../http/api-shell.js';
import { onceAtATime } from './once.js';

const { config, names, secretsExtension } = readLambdaConfig(process.env, [
  'PRESSRUN_API_TOKEN_SECRET_ID',
  'PRESSRUN_MAIL_QUEUE_URL',
  'PRESSRUN_SEND_QUEUE_URL',
]);
const deliveryConfig = readDeliveryConfig(process.env, config.site);
const client = { region: config.region };
const stores = createTableStores(config);
const sqs = createSqsClient(client);
const secrets = new SecretsExtension(secretsExtension);

/**
 * CloudFront's /api/* behavior sets this header from the viewer's address (cdk/constructs/
 * edge-functions.ts), replacing any a client sent; per-client rate limits key on it.
 */
const VIEWER_ADDRESS_HEADER = 'x-pressrun-viewer-address';

// The secrets extension does not answer during init: secrets are read when a route first needs them.
const apiToken = () => secrets.get(names.PRESSRUN_API_TOKEN_SECRET_ID);
const deliveryStores = { ...createDeliveryStores(stores.doc, config.tableName), digests: stores.digests };
const ready = { rateLimiter: deliveryStores.rateLimiter, clientAddressHeader: VIEWER_ADDRESS_HEADER };
const delivery = onceAtATime(async () =>
  deliveryApi(
    createDeliveryServices({
      site: config.site,
      delivery: deliveryConfig,
      tokenSecret: await resolveTokenSecret(deliveryConfig, secrets),
      stores: deliveryStores,
      // Confirmations and test copies are sent by the send worker; this function holds no mailer.
      outbox: new SqsMailOutbox(sqs, names.PRESSRUN_MAIL_QUEUE_URL),
      queue: new SqsQueue(sqs, names.PRESSRUN_SEND_QUEUE_URL),
    }),
    ready,
  ),
);

const routes = apiRoutes({
  site: config.site,
  apiToken,
  runs: stores.runs,
  digests: stores.digests,
  // The queued run it writes reaches the publish function through the table's stream.
  publisher: tableStreamTrigger,
  delivery: deferredDeliveryApi(delivery, ready),
  now: () => new Date(),
  newId: randomUUID,
});

// /api/articles* and /api/digest/preview go to functions of their own (see cdk/stateless-stack.ts); documented here all the same.
const elsewhere = [...Object.values(articleDocs), digestDocs.preview];
export const handler = handle(apiShell({ site: config.site, tables: routes, openApi: { alsoDocumented: elsewhere } }));
