/**
 * Wires configuration and adapters into the core's use cases. Lambda handlers, the local
 * server and the CLI all build their services here, so the cloud and local differ only in
 * endpoints.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createS3Client } from './adapters/aws-clients.js';
import { S3ObjectStore } from './adapters/s3-object-store.js';
import { WebSubHub } from './adapters/websub-hub.js';
import { createTableStores } from './compose-stores.js';
import type { AppConfig } from './config.js';
import { renderDigest as renderDigestWithTemplate } from './core/digest/render-digest.js';
import { digestCandidates, runPublish, type PublishDeps } from './core/publish/run-publish.js';
import type { Digest } from './core/digest/ports.js';
import type { PublishReport } from './core/publish/ports.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type Services = ReturnType<typeof createStores> & {
  site: AppConfig['site'];
  publish: (options: { now: Date; full?: boolean; digest?: boolean }) => Promise<PublishReport>;
  renderDigest: PublishDeps['renderDigest'];
  /** The digest the next publish would send, rendered now; undefined when nothing is new. */
  previewDigest: (now: Date) => Promise<Digest | undefined>;
};

export function createStores(config: AppConfig, credentials?: Credentials) {
  const common = { region: config.region, ...(credentials ? { credentials } : {}) };
  const s3 = createS3Client({ ...common, ...(config.endpoints.s3 ? { endpoint: config.endpoints.s3 } : {}) });
  return {
    s3,
    objects: new S3ObjectStore(s3, config.bucketName),
    ...createTableStores(config, credentials),
  };
}

export async function createServices(
  config: AppConfig,
  options: {
    /** Where templates/ is; or, in a bundle, `templates` with the files' text. */
    templatesDir?: URL;
    templates?: { digest: string };
    credentials?: Credentials;
    concurrency?: number;
    invalidate?: PublishDeps['invalidate'];
    /** Called with each digest a publish makes: the `publish` cadence starts its send here (compose-delivery.ts). */
    onDigestCreated?: PublishDeps['onDigestCreated'];
  },
): Promise<Services> {
  const stores = createStores(config, options.credentials);
  const templates = templateSet(options.templates?.digest ?? (await readDigestTemplate(options)));
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(config.site))
    .update(templates.fingerprint)
    .update(RENDERER_VERSION)
    .digest('base64url');
  const renderDigest: PublishDeps['renderDigest'] = (input) =>
    renderDigestWithTemplate({ ...input, site: config.site, ...templates.digest });
  const deps: PublishDeps = {
    ...stores,
    site: config.site,
    fingerprint,
    renderDigest,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.invalidate ? { invalidate: options.invalidate } : {}),
    ...(options.onDigestCreated ? { onDigestCreated: options.onDigestCreated } : {}),
    ...(config.site.websubHub ? { websub: new WebSubHub(config.site.websubHub), warn: (message: string) => console.warn(message) } : {}),
  };
  const previewDigest = async (now: Date) => {
    const articles = await digestCandidates({ ...stores, site: config.site }, now);
    return articles.length === 0 ? undefined : renderDigest({ id: 'preview', createdAt: now.toISOString(), articles });
  };
  return {
    ...stores,
    site: config.site,
    renderDigest,
    previewDigest,
    publish: (o) => runPublish(deps, { ...o, timer: () => performance.now() }),
  };
}

/** Bumped when a renderer changes its output, so the next publish rebuilds every page. */
const RENDERER_VERSION = '2'; // 2: archive pages, feed pages, sitemaps, WebSub links

async function readDigestTemplate(options: { templatesDir?: URL }): Promise<string> {
  if (!options.templatesDir) throw new Error('createServices needs templatesDir or templates');
  return readFile(new URL('digest.mjml', options.templatesDir), 'utf8');
}

function templateSet(template: string) {
  return {
    digest: { template },
    fingerprint: template,
  };
}

export const newRunId = (): string => randomUUID();
