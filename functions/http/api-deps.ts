/**
 * What the routes need from the outside, in one place: each route file takes the slice it
 * uses, and the roots (functions/wiring/) build it.
 */
import type { ArticleStore } from '../core/content/ports.js';
import type { DigestStore } from '../core/digest/ports.js';
import type { PublishRunStore, PublishTrigger } from '../core/publish/ports.js';
import type { SiteConfig } from '../core/site.js';
import type { ApiToken } from './auth.js';
import type { ClientAddressOptions } from './client-address.js';
import type { DeliveryApi } from './delivery-api.js';

export interface ApiDeps {
  site: SiteConfig;
  /** Bearer token for write routes (and article reads, which include drafts). */
  apiToken: ApiToken;
  articles: ArticleStore;
  runs: PublishRunStore;
  /** Called after a run is created as 'queued'. */
  publisher: PublishTrigger;
  /**
   * When POST /api/publish takes a run for left behind: queued this long without starting (it is
   * written anew), running this long (it is marked failed). Default: a minute, and the deployed
   * publish function's timeout and a minute; a local process, which has no timeout, sets Infinity.
   */
  runsLeftBehind?: { queuedForMs: number; runningForMs: number };
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
  /** Who is asking, for per-client rate limits (client-address.ts); every client is one when absent. */
  clientAddress?: ClientAddressOptions;
  /** Origins allowed to frame the subscription pages: the local inbox, which opens mails' links in a frame. None in the cloud. */
  pagesFramedBy?: string[];
}
