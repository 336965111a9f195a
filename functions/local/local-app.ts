/**
 * The local server's one app: the API under /api and the site bucket everywhere else, on
 * one origin as CloudFront serves them in the cloud.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { PublishReport } from '../core/publish/ports.js';
import { createApp } from '../http/app.js';
import { importContent } from './import-content.js';
import { InProcessPublishQueue } from './publish-queue.js';
import { formatImportReport, formatPublishReport } from './reports.js';
import type { LocalStack } from '../wiring/local.js';
import { serveObject } from './static-site.js';

export interface LocalApp {
  app: Hono;
  queue: InProcessPublishQueue;
  /** Imports the content folder, then publishes through the queue and waits for the report. */
  importAndPublish(): Promise<PublishReport | undefined>;
}

export function createLocalApp(stack: LocalStack, options: { contentDir: string; log?: (line: string) => void }): LocalApp {
  const { stores, publishing, config } = stack;
  const log = options.log ?? (() => {});
  let lastReport: PublishReport | undefined;
  const queue = new InProcessPublishQueue({
    runs: stores.runs,
    publish: () => publishing.publish({ now: new Date() }),
    onReport: (runId, report) => {
      lastReport = report;
      log(`publish ${runId}: ${formatPublishReport(report)}`);
    },
    onError: (runId, error) => log(`publish ${runId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });

  const api = createApp({
    site: config.site,
    apiToken: stack.apiToken,
    articles: stores.articles,
    runs: stores.runs,
    digests: stores.digests,
    publisher: queue,
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
  app.on(['GET', 'HEAD'], '*', (c) => serveObject(c, stores.objects));

  return {
    app,
    queue,
    importAndPublish: async () => {
      const imported = await importContent(stores, config.site, options.contentDir);
      log(`import: ${formatImportReport(imported)}`);
      const run = { id: randomUUID(), status: 'queued' as const, requestedAt: new Date().toISOString() };
      await stores.runs.create(run);
      lastReport = undefined;
      await queue.trigger(run.id);
      await queue.idle();
      return lastReport;
    },
  };
}

/** The local inbox's origin, under both names a browser may have opened it by. */
function inboxOrigins(inboxUrl: string | undefined): string[] {
  if (!inboxUrl) return [];
  const { port } = new URL(inboxUrl);
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}
