/** Fresh test data for every call: no fixture is shared, so no test can change another's. */
import type { Article } from '../../functions/core/article.js';
import { PRESSRUN_ID_NAMESPACE, uuidV5 } from '../../functions/core/content/article-id.js';
import type { Digest } from '../../functions/core/digest/ports.js';
import type { MailSettings } from '../../functions/core/mail/mail-settings.js';
import type { MailMessage } from '../../functions/core/mail/ports.js';
import type { PublishReport, PublishRun } from '../../functions/core/publish/ports.js';
import type { SiteConfig } from '../../functions/core/site.js';
import { subscriberId } from '../../functions/core/subscribers/email.js';
import type { Subscriber } from '../../functions/core/subscribers/ports.js';

let sequence = 0;

const HOUR = 3_600_000;
const FIRST_PUBLISHED = Date.UTC(2025, 0, 6, 9, 0, 0);

/**
 * A valid article with every field filled (except `canonicalUrl`, which changes where its link
 * points; pass it as an override). Its text, image and id follow from its slug (the id as Pressrun
 * derives it), so two calls with the same slug and dates give equal articles. A call without a
 * slug gets a new one, and one without `published` a date an hour after the previous call's, so
 * creation order is date order. `updated` is `published` unless given.
 */
export function makeArticle(overrides: Partial<Article> = {}): Article {
  // Only a call that takes a default moves the sequence on: a test making thousands of articles with slugs and dates of
  // their own must not push the default dates of the tests that run after it in the same worker past their clocks.
  const n = overrides.slug !== undefined && overrides.published !== undefined ? sequence : ++sequence;
  const slug = overrides.slug ?? `test-article-${n}`;
  const published = overrides.published ?? new Date(FIRST_PUBLISHED + n * HOUR).toISOString();
  return {
    id: `urn:uuid:${uuidV5(slug, PRESSRUN_ID_NAMESPACE)}`,
    slug,
    title: `Title of ${slug}`,
    summary: `Summary of ${slug}`,
    html: `<p>Body of <em>${slug}</em>, with <a href="https://example.com/articles/${slug}/">a link</a>.</p>`,
    text: `Body of ${slug}, with a link (https://example.com/articles/${slug}/).`,
    published,
    updated: published,
    authors: [{ name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://example.com/ada' }],
    tags: ['news'],
    image: { url: `https://example.com/images/${slug}.jpg`, alt: `Illustration for ${slug}`, type: 'image/jpeg', length: 12_345 },
    draft: false,
    ...overrides,
  };
}

/** Dates for an article published on `day` April 2025 at 10:00 UTC and edited an hour later. */
export function publishedOnDay(day: number): Pick<Article, 'published' | 'updated'> {
  const published = Date.UTC(2025, 3, day, 10, 0, 0);
  return { published: new Date(published).toISOString(), updated: new Date(published + HOUR).toISOString() };
}

/** `count` articles, each published an hour after the one before. */
export function makeArticles(count: number, overrides: Partial<Article> = {}): Article[] {
  return Array.from({ length: count }, () => makeArticle(overrides));
}

/** A site as config.ts would build it; every call is a fresh object. Tests override what they rely on. */
export function makeSite(overrides: Partial<SiteConfig> = {}): SiteConfig {
  return {
    baseUrl: 'https://news.example.com/',
    title: 'Example News',
    description: 'Notes from the example newsroom',
    language: 'en',
    author: { name: 'The Newsroom', email: 'desk@example.com', url: 'https://news.example.com/about/' },
    feedItemLimit: 50,
    digestArticleLimit: 20,
    subscribeUrl: '/api/subscribe',
    ...overrides,
  };
}

/** The `emptyUpdated` date the feed tests give buildFeeds: what a feed without articles is dated. */
export const EMPTY_UPDATED = '2025-01-01T00:00:00.000Z';

let runs = 0;
/** A queued publish run with an id of its own. */
export function makePublishRun(overrides: Partial<PublishRun> = {}): PublishRun {
  return { id: `run-${++runs}`, status: 'queued', requestedAt: '2025-05-01T10:00:00.000Z', ...overrides };
}

/** The report of a run that wrote `written` article pages (a full one above 100). */
export function makePublishReport(written: number): PublishReport {
  return {
    full: written > 100,
    written: Array.from({ length: written }, (_, i) => `articles/a-fairly-long-article-slug-number-${i}/index.html`),
    unchanged: 12,
    deleted: ['tags/old/feed.xml'],
    digest: { id: '2025-05-01', articles: 3, htmlBytes: 41_000 },
    durationMs: 1_234,
  };
}

/** A rendered digest whose id is the day of its cutoff, created an hour after it, with tokens left in its bodies. */
export function makeDigest(cutoff: string, overrides: Partial<Digest> = {}): Digest {
  const id = cutoff.slice(0, 10);
  return {
    id,
    createdAt: new Date(Date.parse(cutoff) + 3_600_000).toISOString(),
    cutoff,
    articleSlugs: ['second-article', 'first-article'],
    subject: `News digest ${id}`,
    preheader: 'Two new articles this week',
    html: `<html><body><p>Digest ${id} for {{name}}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a></body></html>`,
    text: `Digest ${id}\n\nUnsubscribe: {{unsubscribeUrl}}`,
    ...overrides,
  };
}

let readers = 0;
/** A pending subscriber at version 1 with an address of its own, and the id derived from that address. */
export function makeSubscriber(overrides: Partial<Subscriber> = {}): Subscriber {
  const email = overrides.email ?? `reader-${++readers}@example.com`;
  return {
    id: subscriberId(email),
    email,
    status: 'pending',
    source: 'form',
    createdAt: '2025-06-01T12:00:00.000Z',
    updatedAt: '2025-06-01T12:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** A digest copy as the core hands it to a Mailer: one recipient, both bodies, the List-* fields, provider tags. */
export function makeMailMessage(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    from: '"The Example Times" <digest@news.example.com>',
    to: 'reader@example.com',
    subject: 'Two new articles',
    html: '<p>Hello</p>',
    text: 'Hello',
    headers: {
      'List-Unsubscribe': '<https://news.example.com/api/unsubscribe?token=t>, <mailto:u@news.example.com>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '<digest.news.example.com>',
    },
    tags: { kind: 'digest', digest: '2025-06-01-abcd1234' },
    ...overrides,
  };
}

/** The sender, unsubscribe address and list id a site's mail goes out with. */
export function makeMailSettings(overrides: Partial<MailSettings> = {}): MailSettings {
  return {
    from: '"The Example Times" <digest@news.example.com>',
    unsubscribeMailto: 'unsubscribe@news.example.com',
    listId: '"The Example Times" <digest.news.example.com>',
    ...overrides,
  };
}
