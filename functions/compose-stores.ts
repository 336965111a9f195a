/**
 * The DynamoDB-backed stores alone. The API function builds its services here rather than
 * in compose.ts, whose digest rendering (MJML) and S3 client would otherwise be bundled
 * into it: the API bundle holds only what the API uses.
 */
import { createDocumentClient } from './adapters/aws-clients.js';
import { DynamoArticleStore } from './adapters/dynamo-article-store.js';
import { DynamoDigestStore } from './adapters/dynamo-digest-store.js';
import { DynamoManifestStore } from './adapters/dynamo-manifest-store.js';
import { DynamoPublishRunStore } from './adapters/dynamo-publish-run-store.js';
import type { AppConfig } from './config.js';

export function createTableStores(config: AppConfig, credentials?: { accessKeyId: string; secretAccessKey: string }) {
  const doc = createDocumentClient({
    region: config.region,
    ...(credentials ? { credentials } : {}),
    ...(config.endpoints.dynamodb ? { endpoint: config.endpoints.dynamodb } : {}),
  });
  return {
    doc,
    articles: new DynamoArticleStore(doc, config.tableName),
    manifest: new DynamoManifestStore(doc, config.tableName),
    runs: new DynamoPublishRunStore(doc, config.tableName),
    digests: new DynamoDigestStore(doc, config.tableName),
  };
}
