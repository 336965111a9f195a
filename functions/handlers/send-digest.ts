/**
 * The digest schedule (PRESSRUN_DIGEST_CADENCE, an EventBridge expression; daily by
 * default): starts the send of the newest digest unless it was started before. With the
 * `publish` cadence the publish starts each send itself and this function is not scheduled.
 */
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../adapters/aws-clients.js';
import { DynamoDigestStore } from '../adapters/dynamo-digest-store.js';
import { createDeliveryStores, createSendQueue } from '../compose-delivery.js';
import { readLambdaConfig } from '../config.js';
import { sendLatestDigest } from '../core/delivery/start-send.js';

const { config, names } = readLambdaConfig(process.env, ['PRESSRUN_SEND_QUEUE_URL']);
const doc = createDocumentClient({ region: config.region });
const stores = createDeliveryStores(doc, config.tableName);
const queue = createSendQueue(names.PRESSRUN_SEND_QUEUE_URL, { region: config.region });

export async function handler(): Promise<{ digestId?: string; enqueued: number }> {
  const started = await sendLatestDigest({
    ...stores,
    digests: new DynamoDigestStore(doc, config.tableName),
    queue,
    now: () => new Date(),
    newId: randomUUID,
  });
  return started ? { digestId: started.job.digestId, enqueued: started.enqueued } : { enqueued: 0 };
}
