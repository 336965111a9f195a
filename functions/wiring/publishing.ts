/**
 * The publish use case wired to the site bucket, the table and the digest template: what the
 * publish function and the local server run. The only wiring that loads MJML (through
 * render-digest), so no other root imports it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createS3Client } from '../adapters/aws-clients.js';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { WebSubHub } from '../adapters/websub-hub.js';
import type { AppConfig } from '../config.js';
import { renderDigest as renderDigestWithTemplate } from '../core/digest/render-digest.js';
import type { Digest } from '../core/digest/ports.js';
import { renderDigestPreview } from '../core/digest/web-version.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, PublishReport, PublishRun, PublishRunStore } from '../core/publish/ports.js';
import { handleChunkMessage, startPublish, type FanOutDeps } from '../core/publish/fan-out.js';
import type { PublishChunkMessage, PublishChunkQueue, PublishChunkStore } from '../core/publish/fan-out-ports.js';
import { digestCandidates, runPublish, type PublishDeps, type PublishOptions } from '../core/publish/run-publish.js';
import type { SiteConfig } from '../core/site.js';
import type { StoredArticle } from '../core/article.js';
import type { Credentials, TableStores } from './table-stores.js';

/** Bumped when a renderer changes its output, so the next publish rebuilds every page. */
const RENDERER_VERSION = '3'; // 2: archive pages, feed pages, sitemaps, WebSub links; 3: favicon, 404 page, shared page parts

/** The site bucket: its S3 client (to destroy on close) and the object store on it. */
export interface SiteBucket {
  s3: S3Client;
  objects: ObjectStore;
}

export function createSiteBucket(config: Pick<AppConfig, 'region' | 'bucketName' | 'endpoints'>, credentials?: Credentials): SiteBucket {
  const s3 = createS3Client({
    region: config.region,
    ...(credentials ? { credentials } : {}),
    ...(config.endpoints.s3 ? { endpoint: config.endpoints.s3 } : {}),
  });
  return { s3, objects: new S3ObjectStore(s3, config.bucketName) };
}

export interface PublishingOptions {
  /** The text of templates/digest.mjml (bundled as text in Lambda, read from disk locally). */
  digestTemplate: string;
  concurrency?: number;
  invalidate?: PublishDeps['invalidate'];
  /** Called with each digest a publish makes: the `publish` cadence starts its send here. */
  onDigestCreated?: PublishDeps['onDigestCreated'];
  /** Where a full publish's chunks are kept and queued: given, a full publish run fans out (core/publish/fan-out.ts). */
  fanOut?: Pick<FanOutDeps, 'chunkSizes' | 'onFinished'> & { chunks: PublishChunkStore; queue: PublishChunkQueue; runs: PublishRunStore };
}

export interface Publishing {
  /** A publish in this process, start to end. */
  publish(options: Omit<PublishOptions, 'timer'>): Promise<PublishReport>;
  /**
   * A queued run's publish: fanned out over chunks when it is full and chunks have a queue (the
   * run then ends with the finish), in this process otherwise.
   */
  publishRun(
    run: PublishRun,
    options: Omit<PublishOptions, 'timer'> & { fanningOut: () => Promise<void> },
  ): Promise<PublishReport | 'fanned-out'>;
  /** One message of a fanned-out publish: a chunk, or the finish. */
  carryOut(message: PublishChunkMessage): Promise<'landed' | 'carried-on' | 'finished' | 'stale'>;
  renderDigest: PublishDeps['renderDigest'];
  /**
   * The digest the next publish would send, with sample links for its per-reader ones;
   * undefined when nothing is new. Rendered once per content (previewRenderer).
   */
  previewDigest(now: Date): Promise<Digest | undefined>;
}

export function createPublishing(
  site: SiteConfig,
  stores: Pick<TableStores, 'articles' | 'manifest' | 'runs' | 'digests'> & Pick<PublishDeps, 'objects'>,
  options: PublishingOptions,
): Publishing {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(site))
    .update(options.digestTemplate)
    .update(RENDERER_VERSION)
    .digest('base64url');
  const renderDigest: PublishDeps['renderDigest'] = (input) =>
    renderDigestWithTemplate({ ...input, site, template: options.digestTemplate });
  const preview = previewRenderer(site, fingerprint, renderDigest);
  const deps: PublishDeps = {
    ...stores,
    site,
    fingerprint,
    renderDigest,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.invalidate ? { invalidate: options.invalidate } : {}),
    ...(options.onDigestCreated ? { onDigestCreated: options.onDigestCreated } : {}),
    ...(site.websubHub ? { websub: new WebSubHub(site.websubHub), warn: (message: string) => console.warn(message) } : {}),
  };
  const timer = () => performance.now();
  const fanOut = options.fanOut;
  const fanOutDeps = (): FanOutDeps => {
    if (!fanOut) throw new Error("This publishing has no queue for a full publish's chunks");
    return {
      ...deps,
      runs: fanOut.runs,
      chunks: fanOut.chunks,
      chunkQueue: fanOut.queue,
      clock: () => new Date(),
      ...(fanOut.chunkSizes ? { chunkSizes: fanOut.chunkSizes } : {}),
      ...(fanOut.onFinished ? { onFinished: fanOut.onFinished } : {}),
    };
  };
  return {
    renderDigest,
    publish: (o) => runPublish(deps, { ...o, timer }),
    publishRun: (run, o) => (fanOut ? startPublish(fanOutDeps(), run, { ...o, timer }) : runPublish(deps, { ...o, timer })),
    carryOut: (message) => handleChunkMessage(fanOutDeps(), message),
    previewDigest: async (now) => {
      const articles = await digestCandidates({ ...stores, site }, now);
      if (articles.length === 0) return undefined;
      return preview(articles, now);
    },
  };
}

/**
 * The preview, rendered once per content: the one rendering kept is keyed by the candidate
 * articles (whole, so any edit shows) and the fingerprint (site, template, renderers), and
 * calls that come while it renders share it. Compiling MJML on every call let a few requests
 * a second saturate the function and grow its memory by hundreds of MB.
 */
function previewRenderer(site: SiteConfig, fingerprint: string, renderDigest: PublishDeps['renderDigest']) {
  let kept: { key: string; digest: Promise<Digest> } | undefined;
  return (articles: StoredArticle[], now: Date): Promise<Digest> => {
    const key = createHash('sha256').update(fingerprint).update(JSON.stringify(articles)).digest('base64url');
    if (kept?.key !== key) {
      const entry = {
        key,
        digest: renderDigest({ id: 'preview', createdAt: now.toISOString(), articles }).then((digest) => renderDigestPreview(site, digest)),
      };
      kept = entry;
      // A failed rendering (an invalid template: a 422) is not kept; the next call tries again.
      entry.digest.catch(() => {
        if (kept === entry) kept = undefined;
      });
    }
    return kept.digest;
  };
}

/** templates/digest.mjml from a templates folder on disk (the local server; Lambda bundles it as text). */
export const readDigestTemplate = (templatesDir: URL): Promise<string> => readFile(new URL('digest.mjml', templatesDir), 'utf8');
