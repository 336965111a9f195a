/** Subscribers and digests put into any stores (real or fake) for delivery tests. */
import { mapWithConcurrency } from '../../functions/core/concurrency.js';
import { renderDigest } from '../../functions/core/digest/render-digest.js';
import type { Digest, DigestStore } from '../../functions/core/digest/ports.js';
import type { SiteConfig } from '../../functions/core/site.js';
import { subscriberId } from '../../functions/core/subscribers/email.js';
import type { SubscriberStore } from '../../functions/core/subscribers/ports.js';
import { makeArticles, makeSite } from './factories.js';
import { digestTemplate } from './templates.js';

export const TOKEN_SECRET = 'test-token-secret-5b1f0c3e9a7d4b2f8e6a1c0d';

/** `count` confirmed subscribers with addresses `<prefix>-<n>@example.com`. */
export async function seedConfirmed(
  subscribers: SubscriberStore,
  count: number,
  prefix: string,
): Promise<Array<{ id: string; email: string }>> {
  const people = Array.from({ length: count }, (_, i) => {
    const email = `${prefix}-${i}@example.com`;
    return { id: subscriberId(email), email };
  });
  await mapWithConcurrency(people, 16, async ({ id, email }) => {
    const at = '2025-05-01T08:00:00.000Z';
    await subscribers.save(
      {
        id,
        email,
        status: 'confirmed',
        source: 'form',
        createdAt: at,
        updatedAt: at,
        requestedAt: at,
        confirmedAt: at,
        consentSource: 'form',
      },
      0,
    );
  });
  return people;
}

let rendered: Promise<Digest> | undefined;

/** A real digest of ten articles, rendered by MJML once per test file, stored under `id`. */
export async function storeDigest(digests: DigestStore, id: string, site: SiteConfig = makeSite()): Promise<Digest> {
  rendered ??= renderDigest({
    site,
    id: 'template',
    createdAt: '2025-06-01T07:00:00.000Z',
    articles: makeArticles(10),
    template: digestTemplate(),
  });
  const digest = { ...(await rendered), id };
  return digests.create(digest);
}
