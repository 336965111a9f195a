/**
 * The local server's one app: the API under /api and the site bucket everywhere else, on
 * one origin as CloudFront serves them in the cloud.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { ArticleStore } from '../core/content/ports.js';
import { createApp } from '../http/app.js';
import type { LocalStack } from '../wiring/local.js';
import { LocalPublisher } from './local-publisher.js';
import { serveObject } from './static-site.js';
import { wholeObjects } from './whole-objects.js';
import { siteContentSecurityPolicy } from '../core/pages/content-security-policy.js';

export interface LocalApp {
  app: Hono;
  publisher: LocalPublisher;
}

export interface LocalAppOptions {
  contentDir: string;
  log?: (line: string) => void;
  /** How long API writes must be quiet before they are published. Default 1 s. */
  quietMs?: number;
}

export function createLocalApp(stack: LocalStack, options: LocalAppOptions): LocalApp {
  const { stores, publishing, config } = stack;
  const publisher = new LocalPublisher({
    runs: stores.runs,
    articles: stores.articles,
    publishing,
    chunks: stack.chunkQueue,
    site: config.site,
    contentDir: options.contentDir,
    ...(options.log ? { log: options.log } : {}),
    ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
  });

  const api = createApp({
    site: config.site,
    apiToken: stack.apiToken,
    // What the API writes is published shortly after, as the content folder's changes are.
    articles: publishedAfterWrites(stores.articles, () => publisher.soon()),
    runs: stores.runs,
    digests: stores.digests,
    publisher,
    // No timeout ends a local publish: a long one is running, not left behind (a restart ends those).
    runsLeftBehind: { queuedForMs: 60_000, runningForMs: Infinity },
    previewDigest: () => publishing.previewDigest(new Date()),
    now: () => new Date(),
    newId: randomUUID,
    delivery: stack.delivery,
    clientAddress: { connInfo: getConnInfo },
    // The inbox shows each mail in a frame and opens its links there: the confirm and unsubscribe pages must let it.
    pagesFramedBy: inboxOrigins(stack.mail.inboxUrl),
  });

  // The API answers everything under /api itself, so its 404s and 405s stay problem documents.
  const app = new Hono();
  // c.env carries the connection (@hono/node-server): getConnInfo reads the client's address from it.
  app.all('/api/*', (c) => api.fetch(c.req.raw, c.env as object));
  app.all('/api', (c) => api.fetch(c.req.raw, c.env as object));
  const site = wholeObjects(stores.objects);
  const headers = siteHeaders(config.site.baseUrl, inboxOrigins(stack.mail.inboxUrl));
  app.on(['GET', 'HEAD'], '*', (c) => serveObject(c, site, { headers }));
  return { app, publisher };
}

/**
 * What CloudFront's response headers policy adds to the site's answers
 * (cdk/constructs/site-distribution.ts), as far as they make sense on http://localhost: the
 * same Content-Security-Policy (the local inbox may also frame the pages, as it opens mail
 * links in a frame), no Strict-Transport-Security, and no X-Frame-Options, which would keep
 * the inbox out (CSP's frame-ancestors is what browsers obey when both are sent).
 */
function siteHeaders(baseUrl: string, framedBy: string[]): Record<string, string> {
  return {
    'content-security-policy': siteContentSecurityPolicy({ siteOrigins: [new URL(baseUrl).origin], framedBy }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}

/** The store with a call after every write that succeeded. */
function publishedAfterWrites(store: ArticleStore, afterWrite: () => void): ArticleStore {
  const written =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await write(...args);
      afterWrite();
      return result;
    };
  return Object.assign(Object.create(store) as ArticleStore, {
    create: written(store.create.bind(store)),
    update: written(store.update.bind(store)),
    delete: written(store.delete.bind(store)),
  });
}

/** The local inbox's origin, under both names a browser may have opened it by. */
function inboxOrigins(inboxUrl: string | undefined): string[] {
  if (!inboxUrl) return [];
  const { port } = new URL(inboxUrl);
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}
