/**
 * Issue 10, the defect first: each published article reaches each confirmed reader in exactly
 * one digest, whatever its date, however many are published between two emails, whatever the
 * HTML budget trims. The whole loop in memory, as `npm start` runs it with the `publish`
 * cadence: articles written as the API writes them, each publish makes its digest and starts
 * its send, the send worker mails it; the reader's mailbox is read back link by link.
 */
import { describe, expect, it } from 'vitest';
import type { Article, StoredArticle } from '../../../functions/core/article.js';
import { createArticle } from '../../../functions/core/content/create-article.js';
import { placementFor } from '../../../functions/core/content/placement.js';
import { renderDigest } from '../../../functions/core/digest/render-digest.js';
import type { PublishReport } from '../../../functions/core/publish/ports.js';
import { articleUrl } from '../../../functions/core/urls.js';
import { seedConfirmed } from '../../support/delivery-data.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { inMemoryDelivery } from '../../support/in-memory-delivery.js';
import { inMemoryPublishStores, publishHarness } from '../../support/publish-harness.js';
import { digestTemplate } from '../../support/templates.js';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

/** A digest loop in memory: one confirmed reader, a clock the test moves, a settable HTML budget. */
async function digestLoop() {
  let clock = at('2025-06-10T00:00:00.000Z');
  let budget: number | undefined;
  const site = makeSite({ digestArticleLimit: 20 });
  const delivery = inMemoryDelivery({ site, now: () => clock });
  const [reader] = await seedConfirmed(delivery.stores.subscribers, 1, 'reader');
  const template = digestTemplate();
  const h = publishHarness({
    site,
    stores: { ...inMemoryPublishStores(), digests: delivery.stores.digests },
    renderDigest: (input) => renderDigest({ ...input, site, template, ...(budget ? { htmlBudgetBytes: budget } : {}) }),
    onDigestCreated: (digest) => delivery.startSend(digest.id),
  });
  const store = h.stores.articles;
  return {
    site,
    reader: reader!,
    setBudget: (bytes: number | undefined) => (budget = bytes),
    /** Writes a new article at `now`, as POST /api/articles does. */
    create: async (now: string, overrides: Partial<Article>) => {
      clock = at(now);
      return createArticle(store, makeArticle(overrides), clock);
    },
    /** Replaces an article at `now`, as PUT /api/articles/{slug} does. */
    edit: async (now: string, slug: string, change: Partial<Article>) => {
      clock = at(now);
      const current = (await store.get(slug))!;
      const { version: _v, placed: _p, source: _s, sourceHash: _h, ...article } = current;
      const input = { ...article, ...change };
      const placed = placementFor(input, clock, current);
      return store.update({ ...input, ...(placed ? { placed } : {}) }, current.version);
    },
    remove: async (now: string, slug: string) => {
      clock = at(now);
      await store.delete(slug);
    },
    /** One publish with the `publish` cadence: its digest is made, its send started and carried out. */
    publish: async (now: string): Promise<PublishReport> => {
      clock = at(now);
      const report = await h.publish(clock);
      for (const ref of delivery.queue.take()) expect(await delivery.worker(ref)).toMatchObject({ outcome: 'sent' });
      return report;
    },
    /** The article slugs each mail to the reader links to, from its HTML and from its text part. */
    mailbox: () =>
      delivery.mailer.accepted
        .filter(({ message }) => message.to === reader!.email)
        .map(({ message }) => ({
          html: slugsLinked(message.html, site),
          text: slugsLinked(message.text, site),
          listed: message.html.split('class="pr-more-item"').length - 1,
        })),
  };
}

function slugsLinked(body: string, site: ReturnType<typeof makeSite>): string[] {
  const prefix = articleUrl(site, 'SLUG').split('SLUG')[0]!;
  const pattern = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}([a-z0-9-]+)/`, 'g');
  return [...new Set([...body.matchAll(pattern)].map((m) => m[1]!))].sort();
}

describe('a digest for every article (issue 10)', () => {
  it('mails each published article to each confirmed reader exactly once', async () => {
    const loop = await digestLoop();
    const published: StoredArticle[] = [];
    const today = (time: string) => `2025-06-10T${time}Z`;

    // Three articles dated today, published one after another, each dated earlier than the last.
    published.push(await loop.create(today('09:00:30.000'), { published: today('09:00:00.000') }));
    await loop.publish(today('09:01:00.000'));
    published.push(await loop.create(today('10:00:00.000'), { published: today('08:00:00.000') }));
    await loop.publish(today('10:01:00.000'));
    published.push(await loop.create(today('11:00:00.000'), { published: today('07:00:00.000') }));
    await loop.publish(today('11:01:00.000'));

    // One dated last week.
    published.push(
      await loop.create(today('12:00:00.000'), { published: new Date(Date.parse(today('12:00:00.000')) - 7 * DAY).toISOString() }),
    );
    await loop.publish(today('12:01:00.000'));

    // One embargoed until tomorrow morning: mailed once it comes due, not before.
    const embargoed = await loop.create(today('12:30:00.000'), { published: '2025-06-11T08:00:00.000Z' });

    // 25 between two emails, with a limit of 20: five written at one instant (as an import
    // writes them), the rest a second apart, some back-dated, some dated today.
    for (let i = 0; i < 25; i++) {
      const written = i < 5 ? today('13:00:00.000') : today(`13:00:${String(i).padStart(2, '0')}.000`);
      const date = i % 3 === 0 ? '2025-05-01T10:00:00.000Z' : today('06:00:00.000');
      published.push(await loop.create(written, { published: date }));
    }
    const many = await loop.publish(today('13:30:00.000'));
    expect(many.digest).toMatchObject({ articles: 25 });
    expect(many.digest?.carriedOver).toBeUndefined();
    const manyMail = loop.mailbox().at(-1)!;
    expect(manyMail.html).toHaveLength(25);
    expect(manyMail.listed).toBe(5);

    // An article mailed before is edited, once keeping its date and once moving it past its
    // place; one new article is deleted and another unpublished before their email goes.
    await loop.edit(today('13:40:00.000'), published[1]!.slug, { title: 'A better title' });
    await loop.edit(today('13:41:00.000'), published[0]!.slug, { title: 'Moved', published: today('13:41:00.000') });
    const deleted = await loop.create(today('13:42:00.000'), {});
    await loop.remove(today('13:43:00.000'), deleted.slug);
    const unpublished = await loop.create(today('13:44:00.000'), {});
    await loop.edit(today('13:45:00.000'), unpublished.slug, { draft: true });

    // A digest trimmed by the HTML budget: twelve articles with long titles, a budget that
    // holds only some of them even as a list.
    const long = 'A very long title about the harbour bridge and the council meeting that went on all night '.repeat(3);
    for (let i = 0; i < 12; i++)
      published.push(await loop.create(today(`14:00:${String(i).padStart(2, '0')}.000`), { title: `${long} ${i}` }));
    loop.setBudget(12_000);
    const trimmed = await loop.publish(today('14:30:00.000'));
    // (6 of 12 since the footer links to the preference page as well.)
    expect(trimmed.digest).toMatchObject({ articles: 6, carriedOver: 6 });
    expect(trimmed.digest!.htmlBytes).toBeLessThanOrEqual(12_000);
    loop.setBudget(undefined);
    await loop.publish(today('15:30:00.000'));
    await loop.publish('2025-06-11T09:00:00.000Z');
    published.push(embargoed);

    expect(published).toHaveLength(42);
    const mails = loop.mailbox();
    for (const mail of mails) expect(mail.text).toEqual(mail.html);
    const received = new Map<string, number>();
    for (const mail of mails) for (const slug of mail.html) received.set(slug, (received.get(slug) ?? 0) + 1);
    const expected = new Map(published.map((a) => [a.slug, 1]));
    expect(Object.fromEntries(received)).toEqual(Object.fromEntries(expected));
    expect(received.has(deleted.slug)).toBe(false);
    expect(received.has(unpublished.slug)).toBe(false);
  });
  it('mails an article written again on the slug of a deleted one that was mailed: it is a new article, with a new id', async () => {
    const loop = await digestLoop();
    const first = await loop.create('2025-06-10T09:00:00.000Z', { slug: 'bridge-reopens' });
    await loop.publish('2025-06-10T09:01:00.000Z');
    await loop.remove('2025-06-10T10:00:00.000Z', first.slug);
    const again = await loop.create('2025-06-10T10:30:00.000Z', { slug: 'bridge-reopens', published: '2025-06-10T08:00:00.000Z' });
    await loop.publish('2025-06-10T11:00:00.000Z');

    expect(again.id).not.toBe(first.id);
    expect(loop.mailbox().map((mail) => mail.html)).toEqual([['bridge-reopens'], ['bridge-reopens']]);
  });

  it('never mails an article marked email: false, which is published all the same, nor lets it hold back the next one', async () => {
    const loop = await digestLoop();
    await loop.create('2025-06-10T09:00:00.000Z', { slug: 'council-minutes', email: false });
    const quiet = await loop.publish('2025-06-10T09:01:00.000Z');
    expect(quiet.written).toContain('articles/council-minutes/index.html');
    await loop.create('2025-06-10T10:00:00.000Z', { slug: 'market-reopens' });
    await loop.publish('2025-06-10T10:01:00.000Z');

    expect(loop.mailbox().map((mail) => mail.html)).toEqual([['market-reopens']]);
  });
});
