/**
 * Wires configuration and adapters into the core's use cases. Lambda handlers, the local
 * server and the CLI all build their services here, so the cloud and local differ only in
 * endpoints.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createDocumentClient, createS3Client } from './adapters/aws-clients.js';
import { DynamoArticleStore } from './adapters/dynamo-article-store.js';
import { DynamoDigestStore } from './adapters/dynamo-digest-store.js';
import { DynamoManifestStore } from './adapters/dynamo-manifest-store.js';
import { DynamoPublishRunStore } from './adapters/dynamo-publish-run-store.js';
import { S3ObjectStore } from './adapters/s3-object-store.js';
import type { AppConfig } from './config.js';
import { renderDigest as renderDigestWithTemplate } from './core/digest/render-digest.js';
import { runPublish, type PublishDeps } from './core/publish/run-publish.js';
import type { PublishReport } from './core/ports.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type Services = ReturnType<typeof createStores> & {
  site: AppConfig['site'];
  publish: (options: { now: Date; full?: boolean }) => Promise<PublishReport>;
  renderDigest: PublishDeps['renderDigest'];
};

export function createStores(config: AppConfig, credentials?: Credentials) {
  const common = { region: config.region, ...(credentials ? { credentials } : {}) };
  const s3 = createS3Client({ ...common, ...(config.endpoints.s3 ? { endpoint: config.endpoints.s3 } : {}) });
  const doc = createDocumentClient({ ...common, ...(config.endpoints.dynamodb ? { endpoint: config.endpoints.dynamodb } : {}) });
  return {
    s3,
    doc,
    objects: new S3ObjectStore(s3, config.bucketName),
    articles: new DynamoArticleStore(doc, config.tableName),
    manifest: new DynamoManifestStore(doc, config.tableName),
    runs: new DynamoPublishRunStore(doc, config.tableName),
    digests: new DynamoDigestStore(doc, config.tableName),
  };
}

export async function createServices(config: AppConfig, options: { templatesDir: URL; credentials?: Credentials; concurrency?: number }): Promise<Services> {
  const stores = createStores(config, options.credentials);
  const templates = await readTemplates(options.templatesDir);
  const fingerprint = createHash('sha256').update(JSON.stringify(config.site)).update(templates.fingerprint).update(RENDERER_VERSION).digest('base64url');
  const renderDigest: PublishDeps['renderDigest'] = (input) => renderDigestWithTemplate({ ...input, site: config.site, ...templates.digest });
  const deps: PublishDeps = {
    ...stores,
    site: config.site,
    fingerprint,
    renderDigest,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  };
  return { ...stores, site: config.site, renderDigest, publish: (o) => runPublish(deps, { ...o, timer: () => performance.now() }) };
}

/** Bumped when a renderer changes its output, so the next publish rebuilds every page. */
const RENDERER_VERSION = '1';

async function readTemplates(dir: URL) {
  const template = await readFile(new URL('digest.mjml', dir), 'utf8');
  return {
    digest: { template },
    fingerprint: template,
  };
}

export const newRunId = (): string => randomUUID();
