/**
 * The HTTP API: a plain fetch function (Lambda, the local server and tests all call it the
 * same way). Every route lives under /api; every error leaves through problem.ts.
 */
import type { Hono } from 'hono';
import type { SiteConfig } from '../core/site.js';
import type { ArticleStore } from '../core/content/ports.js';
import type { DigestStore } from '../core/digest/ports.js';
import type { PublishRunStore, PublishTrigger } from '../core/publish/ports.js';
import { apiRoutes } from './api-routes.js';
import { apiShell } from './api-shell.js';
import { articleRoutes } from './articles.js';
import type { ApiToken } from './auth.js';
import type { DeliveryApi } from './delivery-api.js';
import { digestRoutes } from './digest.js';

export interface ApiDeps {
  site: SiteConfig;
  /** Bearer token for write routes (and article reads, which include drafts). */
  apiToken: ApiToken;
  articles: ArticleStore;
  runs: PublishRunStore;
  /** Called after a run is created as 'queued'. */
  publisher: PublishTrigger;
  digests: DigestStore;
  /** The digest the next publish would send; undefined when there is nothing new. */
  previewDigest: () => Promise<{ subject: string; html: string; text: string } | undefined>;
  now: () => Date;
  /** Run ids. */
  newId: () => string;
  /**
   * Subscriptions and digest sends (wiring/delivery.ts: createDeliveryApi). Without it those
   * routes answer 503 rather than vanish, so a deployment that forgot to wire it says so.
   */
  delivery?: DeliveryApi;
}

/** The whole API in one app: what the local server and the tests run (in the cloud it is split, see handlers/). */
export function createApp(deps: ApiDeps): Hono {
  return apiShell({
    site: deps.site,
    tables: [...apiRoutes(deps), digestRoutes(deps), articleRoutes(deps)],
    openApi: { alsoDocumented: [] },
  });
}
