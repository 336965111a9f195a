/** Subscribers and digests put into any stores (real or fake) for delivery tests. */
import { mapWithConcurrency } from '../../functions/core/concurrency.js';
import { renderDigest } from '../../functions/core/digest/render-digest.js';
import type { Digest, DigestStore } from '../../functions/core/digest/ports.js';
import type { SiteConfig } from '../../functions/core/site.js';
import { normalizeEmail, subscriberId } from '../../functions/core/subscribers/email.js';
import type { Subscriber, SubscriberStore } from '../../functions/core/subscribers/ports.js';
import { makeArticles, makeSite } from './factories.js';
import { digestTemplate } from './templates.js';

export const TOKEN_SECRET = 'test-token-secret-5b1f0c3e9a7d4b2f8e6a1c0d';

/** A subscriber who confirmed `address` at `at`, from the site's form: what delivery tests put into a store. */
export function confirmedSubscriber(address: string, at = '2025-05-01T08:00:00.000Z'): Omit<Subscriber, 'version'> {
  const email = normalizeEmail(address);
  return {
    id: subscriberId(email),
    email,
    status: 'confirmed',
    source: 'form',
    createdAt: at,
    updatedAt: at,
    requestedAt: at,
    confirmedAt: at,
    consentSource: 'form',
  };
}

/** `count` confirmed subscribers with addresses `<prefix>-<n>@example.com`. */
export async function seedConfirmed(
  subscribers: SubscriberStore,
  count: number,
  prefix: string,
  /** When they confirmed: a long time ago unless given (a reader mails what was placed since they confirmed). */
  confirmedAt?: string,
): Promise<Array<{ id: string; email: string }>> {
  const people = Array.from({ length: count }, (_, i) => confirmedSubscriber(`${prefix}-${i}@example.com`, confirmedAt));
  await mapWithConcurrency(people, 16, (subscriber) => subscribers.save(subscriber, 0));
  return people.map(({ id, email }) => ({ id, email }));
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
