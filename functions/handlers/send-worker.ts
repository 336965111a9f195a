/**
 * The send worker: SQS delivers batch ids of digest sends; each batch is claimed in the
 * ledger, personalized from the digest rendered at publish (no MJML here) and mailed.
 * Partial batch responses return busy or throttled batches to the queue.
 */
import { createDocumentClient } from '../adapters/aws-clients.js';
import { DynamoDigestStore } from '../adapters/dynamo-digest-store.js';
import type { SqsBatchResponse, SqsEvent } from '../adapters/lambda-events.js';
import { SecretsExtension } from '../adapters/secrets-extension.js';
import { createDeliveryServices, createDeliveryStores, handleSendMessages, resolveTokenSecret } from '../compose-delivery.js';
import { createMailer } from '../compose-mailer.js';
import { readDeliveryConfig, readLambdaConfig } from '../config.js';
import { onceAtATime } from './once.js';

const { config, secretsExtension } = readLambdaConfig(process.env, []);
const delivery = readDeliveryConfig(process.env, config.site);
const doc = createDocumentClient({ region: config.region });

// Built on the first message: the signing key may come from the secrets extension, which does not answer during init.
const services = onceAtATime(async () =>
  createDeliveryServices({
    site: config.site,
    delivery,
    tokenSecret: await resolveTokenSecret(delivery, new SecretsExtension(secretsExtension)),
    stores: { ...createDeliveryStores(doc, config.tableName), digests: new DynamoDigestStore(doc, config.tableName) },
    mailer: createMailer(delivery.transport, { region: config.region }),
  }),
);

export const handler = async (event: SqsEvent): Promise<SqsBatchResponse> => handleSendMessages(await services(), event);
