/**
 * Issue 10, readers choose: topics, cadence (the site's digest, each article, daily, weekly)
 * and format. The whole loop in memory, as `npm start` runs it: articles written as the API
 * writes them, each publish makes its digest and sends it to the digest readers, the clock's
 * ticks plan rounds for the others; each reader's mailbox is read back link by link.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/core/article.js';
import { createArticle } from '../../../functions/core/content/create-article.js';
import { DEFAULT_PREFERENCES, type Preferences } from '../../../functions/core/subscribers/preferences.js';
import { articleUrl } from '../../../functions/core/urls.js';
import { confirmedSubscriber } from '../../support/delivery-data.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { publishAndDeliver } from '../../support/publish-and-deliver.js';

const at = (iso: string) => new Date(iso);

/** Readers with their choices, a publish with the `publish` cadence, and the clock's ticks. */
async function readersLoop(readers: Record<string, Partial<Preferences>>) {
  let clock = at('2025-06-09T06:00:00.000Z');
  const site = makeSite({ digestArticleLimit: 20 });
  const { delivery, publisher: h } = publishAndDeliver({ site, now: () => clock, rounds: { timeZone: 'Europe/Paris', holdMinutes: 10 } });
  const emails: Record<string, string> = {};
  for (const [name, choice] of Object.entries(readers)) {
    const subscriber = { ...confirmedSubscriber(`${name}@example.com`), preferences: { ...DEFAULT_PREFERENCES, ...choice } };
    emails[name] = subscriber.email;
    await delivery.stores.subscribers.save(subscriber, 0);
  }
  const drain = async () => {
    for (const ref of delivery.queue.take()) expect(await delivery.worker(ref)).toMatchObject({ outcome: 'sent' });
  };
  const store = h.stores.articles;
  return {
    delivery,
    create: async (now: string, overrides: Partial<Article>) => {
      clock = at(now);
      return createArticle(store, makeArticle(overrides), clock);
    },
    /** Stored as-is, as an older version may have left it: what the publish's gate may leave out. */
    storeAsIs: async (now: string, article: Article) => {
      clock = at(now);
      await store.create(article);
    },
    edit: async (now: string, slug: string, change: Partial<Article>) => {
      clock = at(now);
      const { version, placed: _p, source: _s, sourceHash: _h, ...article } = (await store.get(slug))!;
      return store.update({ ...article, ...change }, version);
    },
    remove: async (now: string, slug: string) => {
      clock = at(now);
      await store.delete(slug);
    },
    publish: async (now: string) => {
      clock = at(now);
      await h.publish(clock);
      await drain();
    },
    tick: async (now: string) => {
      clock = at(now);
      await delivery.tick(clock);
      await drain();
    },
    changeChoice: async (name: string, choice: Partial<Preferences>) => {
      const current = (await delivery.stores.subscribers.getMany([...(await idsOf([name]))])).values().next().value!;
      const { version, ...record } = current;
      await delivery.stores.subscribers.save(
        { ...record, preferences: { ...DEFAULT_PREFERENCES, ...current.preferences, ...choice } },
        version,
      );
    },
    /** Each mail of `name`: the slugs it links to, and whether it holds the full article text. */
    mailbox: (name: string) =>
      delivery.mailer.accepted
        .filter(({ message }) => message.to === emails[name])
        .map(({ message }) => ({ slugs: slugsLinked(message.html, site), html: message.html, subject: message.subject })),
  };

  async function idsOf(names: string[]) {
    const { subscriberId } = await import('../../../functions/core/subscribers/email.js');
    return names.map((name) => subscriberId(emails[name]!));
  }
}

function slugsLinked(body: string, site: ReturnType<typeof makeSite>): string[] {
  const prefix = articleUrl(site, 'SLUG').split('SLUG')[0]!;
  const pattern = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}([a-z0-9-]+)/`, 'g');
  return [...new Set([...body.matchAll(pattern)].map((m) => m[1]!))].sort();
}

const everyMailed = (mails: Array<{ slugs: string[] }>) => mails.flatMap((m) => m.slugs).sort();

describe('readers who chose what they receive (issue 10)', () => {
  it('mails each reader each article of their topics once, at their cadence, in their format', async () => {
    const loop = await readersLoop({
      everything: {},
      scientist: { topics: ['science'] },
      eager: { cadence: 'each' },
      morning: { cadence: 'daily', hour: 7, topics: ['science', 'politics'] },
      mondays: { cadence: 'weekly', weekday: 1, hour: 7, format: 'full' },
    });
    // Monday 9 June 2025, Paris is UTC+2. The schedule ticks at 07:00 in Paris: nothing new yet.
    await loop.tick('2025-06-09T05:00:00.000Z');
    await loop.create('2025-06-09T06:00:00.000Z', { slug: 'physics', title: 'Physics', tags: ['science'] });
    await loop.create('2025-06-09T06:00:01.000Z', { slug: 'vote', title: 'Vote', tags: ['politics'] });
    await loop.create('2025-06-09T06:00:02.000Z', { slug: 'match', title: 'Match', tags: ['sports'] });
    await loop.create('2025-06-09T06:00:03.000Z', { slug: 'climate', title: 'Climate', tags: ['science', 'politics'] });
    await loop.publish('2025-06-09T06:01:00.000Z');

    expect(everyMailed(loop.mailbox('everything'))).toEqual(['climate', 'match', 'physics', 'vote']);
    // Two of the scientist's articles, climate once although it has two of the site's tags.
    expect(loop.mailbox('scientist').map((m) => m.slugs)).toEqual([['climate', 'physics']]);
    expect(loop.mailbox('eager')).toEqual([]);

    // Within the hold window nothing goes out; an edit in it updates the email, an unpublish cancels one.
    await loop.create('2025-06-09T06:03:00.000Z', { slug: 'retracted', title: 'Retracted', tags: ['sports'] });
    await loop.publish('2025-06-09T06:04:00.000Z');
    await loop.tick('2025-06-09T06:05:00.000Z');
    expect(loop.mailbox('eager')).toEqual([]);
    await loop.edit('2025-06-09T06:08:00.000Z', 'match', { title: 'Match, final score' });
    await loop.remove('2025-06-09T06:09:00.000Z', 'retracted');
    await loop.publish('2025-06-09T06:09:30.000Z');
    await loop.tick('2025-06-09T06:20:00.000Z');
    const eager = loop.mailbox('eager');
    expect(eager.map((m) => m.slugs)).toEqual([['climate', 'match', 'physics', 'vote']]);
    expect(eager[0]!.html).toContain('Match, final score');

    // 07:00 in Paris is 05:00 UTC: the daily reader's first email is the next morning's.
    expect(loop.mailbox('morning')).toEqual([]);
    await loop.tick('2025-06-10T05:00:00.000Z');
    expect(loop.mailbox('morning').map((m) => m.slugs)).toEqual([['climate', 'physics', 'vote']]);

    // Tuesday: another article for the daily readers; the weekly one waits for Monday.
    await loop.create('2025-06-10T09:00:00.000Z', { slug: 'senate', title: 'Senate', tags: ['politics'] });
    await loop.publish('2025-06-10T09:01:00.000Z');
    await loop.tick('2025-06-10T09:20:00.000Z');
    expect(loop.mailbox('eager').map((m) => m.slugs)).toEqual([['climate', 'match', 'physics', 'vote'], ['senate']]);
    await loop.tick('2025-06-11T05:00:00.000Z');
    expect(loop.mailbox('morning').map((m) => m.slugs)).toEqual([['climate', 'physics', 'vote'], ['senate']]);
    expect(loop.mailbox('mondays')).toEqual([]);

    await loop.tick('2025-06-16T05:00:00.000Z');
    const weekly = loop.mailbox('mondays');
    expect(weekly.map((m) => m.slugs)).toEqual([['climate', 'match', 'physics', 'senate', 'vote']]);
    // The full format carries the articles' text, not only their summaries.
    expect(weekly[0]!.html).toContain('pr-full');

    // Nobody received an article twice, and the digest readers only by digest.
    for (const name of ['everything', 'scientist', 'eager', 'morning', 'mondays']) {
      const mailed = everyMailed(loop.mailbox(name));
      expect(new Set(mailed).size, name).toBe(mailed.length);
    }
    // The site's digest goes out with the publish (the `publish` cadence, no hold): its readers had the retracted one.
    expect(everyMailed(loop.mailbox('everything'))).toEqual(['climate', 'match', 'physics', 'retracted', 'senate', 'vote']);
  });

  it('neither repeats nor skips an article when a reader changes their choice between two emails', async () => {
    const loop = await readersLoop({ switcher: { cadence: 'daily', hour: 7, topics: ['science'] } });
    await loop.tick('2025-06-09T05:00:00.000Z');
    await loop.create('2025-06-09T06:00:00.000Z', { slug: 'physics', tags: ['science'] });
    await loop.create('2025-06-09T06:00:01.000Z', { slug: 'match', tags: ['sports'] });
    await loop.publish('2025-06-09T06:01:00.000Z');
    await loop.tick('2025-06-10T05:00:00.000Z');
    expect(loop.mailbox('switcher').map((m) => m.slugs)).toEqual([['physics']]);

    // After their email: one more of each, then the reader takes every topic, as each article comes.
    await loop.create('2025-06-10T08:00:00.000Z', { slug: 'chemistry', tags: ['science'] });
    await loop.create('2025-06-10T08:00:01.000Z', { slug: 'final', tags: ['sports'] });
    await loop.publish('2025-06-10T08:01:00.000Z');
    await loop.changeChoice('switcher', { cadence: 'each', topics: 'all' });
    await loop.tick('2025-06-10T08:30:00.000Z');
    // What was published since their last email and matches now; not physics again, not the older match.
    expect(loop.mailbox('switcher').map((m) => m.slugs)).toEqual([['physics'], ['chemistry', 'final']]);

    // Back to the site's digest: the next digest carries only what their emails did not.
    await loop.changeChoice('switcher', { cadence: 'digest' });
    await loop.create('2025-06-10T10:00:00.000Z', { slug: 'derby', tags: ['sports'] });
    await loop.publish('2025-06-10T10:01:00.000Z');
    expect(loop.mailbox('switcher').map((m) => m.slugs)).toEqual([['physics'], ['chemistry', 'final'], ['derby']]);
  });

  it('never mails an article the publish left out: no mail links to a page the site does not have', async () => {
    const loop = await readersLoop({ eager: { cadence: 'each' } });
    await loop.create('2025-06-09T06:00:00.000Z', { slug: 'fine' });
    // Dated after the publish by an older version (the gate leaves it out, and names it in the report).
    await loop.storeAsIs(
      '2025-06-09T06:00:01.000Z',
      makeArticle({ slug: 'time-traveller', published: '2025-06-09T06:00:01.000Z', updated: '2031-01-01T00:00:00.000Z' }),
    );
    await loop.publish('2025-06-09T06:01:00.000Z');
    await loop.tick('2025-06-09T06:20:00.000Z');
    expect(loop.mailbox('eager').map((m) => m.slugs)).toEqual([['fine']]);
  });
});
