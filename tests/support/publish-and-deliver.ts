/**
 * The whole loop in memory, as `npm start` runs it with the `publish` cadence: a publish harness
 * and the delivery use cases on the same stores (articles, runs, digests, manifest), so each
 * publish makes its digest and starts its send, and rounds see what publishes wrote.
 */
import { renderDigest } from '../../functions/core/digest/render-digest.js';
import type { SiteConfig } from '../../functions/core/site.js';
import { inMemoryDelivery, type inMemoryDeliveryStores } from './in-memory-delivery.js';
import { inMemoryPublishStores, publishHarness } from './publish-harness.js';
import { digestTemplate } from './templates.js';

export function publishAndDeliver(options: {
  site: SiteConfig;
  now: () => Date;
  rounds: { timeZone: string; holdMinutes: number };
  /** Delivery stores to use instead of fresh fakes (ports a test makes fail, say). */
  stores?: Partial<ReturnType<typeof inMemoryDeliveryStores>>;
  snapshotLeaseMs?: number;
}) {
  const publishStores = inMemoryPublishStores();
  const { articles, runs, digests, manifest } = publishStores;
  const delivery = inMemoryDelivery({
    site: options.site,
    now: options.now,
    shared: { articles, runs, digests, manifest, ...options.stores },
    rounds: options.rounds,
    ...(options.snapshotLeaseMs !== undefined ? { snapshotLeaseMs: options.snapshotLeaseMs } : {}),
  });
  const template = digestTemplate();
  const publisher = publishHarness({
    site: options.site,
    stores: publishStores,
    renderDigest: (input) => renderDigest({ ...input, site: options.site, template }),
    onDigestCreated: (digest) => delivery.startSend(digest.id),
  });
  return { delivery, publisher, publishStores };
}
