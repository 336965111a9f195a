/**
 * The stores kept in the DynamoDB table, on one document client. Each root names the stores
 * it uses, so a function holds one client however many stores it has, and its bundle holds
 * only the adapters it names (the API function's cold start is what readers wait for).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../adapters/aws-clients.js';
import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { DynamoDeliveryMarks } from '../adapters/dynamo-delivery-marks.js';
import { DynamoDigestStore } from '../adapters/dynamo-digest-store.js';
import { DynamoMailClaims } from '../adapters/dynamo-mail-claims.js';
import { DynamoManifestStore } from '../adapters/dynamo-manifest-store.js';
import { DynamoPublishRunStore } from '../adapters/dynamo-publish-run-store.js';
import { DynamoPublishChunkStore } from '../adapters/dynamo-publish-chunk-store.js';
import { DynamoRateLimiter } from '../adapters/dynamo-rate-limiter.js';
import { DynamoSendLedger } from '../adapters/dynamo-send-ledger.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscriber-store.js';
import type { AppConfig } from '../config.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

type StoreClass = new (doc: DynamoDBDocumentClient, table: string) => object;
type Built<C extends Record<string, StoreClass>> = { doc: DynamoDBDocumentClient } & { [K in keyof C]: InstanceType<C[K]> };

/** Every store of the table, by the name the use cases know it by: what the local server and tests build. */
export const ALL_TABLE_STORES = {
  articles: DynamoArticleStore,
  manifest: DynamoManifestStore,
  runs: DynamoPublishRunStore,
  digests: DynamoDigestStore,
  subscribers: DynamoSubscriberStore,
  ledger: DynamoSendLedger,
  rateLimiter: DynamoRateLimiter,
  mailClaims: DynamoMailClaims,
  marks: DynamoDeliveryMarks,
  chunks: DynamoPublishChunkStore,
};

export type TableStores = Built<typeof ALL_TABLE_STORES>;

/** The named stores on a new document client for the configured table (and endpoint, locally). */
export function createTableStores<C extends Record<string, StoreClass>>(
  config: Pick<AppConfig, 'region' | 'tableName' | 'endpoints'>,
  classes: C,
  credentials?: Credentials,
): Built<C> {
  const doc = createDocumentClient({
    region: config.region,
    ...(credentials ? { credentials } : {}),
    ...(config.endpoints.dynamodb ? { endpoint: config.endpoints.dynamodb } : {}),
  });
  return tableStoresOn(doc, config.tableName, classes);
}

/** The named stores on a document client the caller made (and destroys). */
export function tableStoresOn<C extends Record<string, StoreClass>>(doc: DynamoDBDocumentClient, table: string, classes: C): Built<C> {
  const stores = Object.fromEntries(Object.entries(classes).map(([name, Store]) => [name, new Store(doc, table)]));
  return { ...stores, doc } as Built<C>;
}
