/**
 * An article's id in every feed format stays the same across republishes, edits of its title,
 * body and date, and a move of the whole site to another domain: a changed id would make every
 * reader show the article again as unread.
 */
import { describe, expect, it } from 'vitest';
import { articleFromInput } from '../../../functions/core/content/article-input.js';
import { makeSite } from '../../support/factories.js';
import { publishHarness } from '../../support/publish-harness.js';
import { xmlTree } from '../../support/feed-readers.js';

const START = new Date('2025-06-01T12:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);
const SLUG = 'harbour-bridge-reopens';

type Harness = ReturnType<typeof publishHarness>;

/** The id each format gives the article, read from the published objects. */
async function idsIn(h: Harness): Promise<{ rss: string; atom: string; json: string }> {
  const item = xmlTree((await h.text('feed.xml'))!).rss.channel.item.find((i: { link: string }) => i.link.endsWith(`/articles/${SLUG}/`));
  const entry = xmlTree((await h.text('atom.xml'))!).feed.entry.find((e: { link: Array<{ '@href': string }> }) =>
    e.link[0]!['@href'].endsWith(`/articles/${SLUG}/`),
  );
  const json = JSON.parse((await h.text('feed.json'))!).items.find((i: { url: string }) => i.url.endsWith(`/articles/${SLUG}/`));
  return { rss: item.guid['#text'], atom: entry.id, json: json.id };
}

/** The edits a newsroom makes, in turn: the title, the body, the date, and a republish of the same text. */
const EDITS = [
  (n: number) => ({ title: `Harbour bridge reopens (update ${n})` }),
  (n: number) => ({ body: `The bridge reopened. Update ${n}: traffic is **flowing**.` }),
  (n: number) => ({ published: minutes(-600 + n).toISOString() }),
  () => ({}),
];

describe('stable ids', () => {
  it('keeps one id in RSS, Atom and JSON Feed across 100 republishes with edits of title, body and date, and a move to another domain', async () => {
    const site = makeSite();
    const h = publishHarness({ site });
    let fields: Record<string, unknown> = {
      title: 'Harbour bridge reopens',
      body: 'The bridge reopened.',
      tags: ['transport'],
      published: minutes(-1000).toISOString(),
    };
    const created = articleFromInput(fields, { site, now: START });
    expect(created.slug).toBe(SLUG);
    await h.deps.articles.create(created);
    await h.publish(START);
    const first = await idsIn(h);
    expect(new Set(Object.values(first))).toEqual(new Set([created.id]));

    const seen = new Set<string>();
    for (let n = 1; n <= 100; n++) {
      fields = { ...fields, ...EDITS[n % EDITS.length]!(n) };
      const stored = (await h.deps.articles.get(SLUG))!;
      // An edit keeps the stored id and slug, as the API and the content import do.
      const edited = { ...articleFromInput(fields, { site, now: minutes(n) }), id: stored.id, slug: stored.slug };
      await h.deps.articles.update(edited, stored.version);
      await h.publish(minutes(n));
      for (const id of Object.values(await idsIn(h))) seen.add(id);
    }
    expect([...seen]).toEqual([created.id]);

    const moved = publishHarness({
      stores: h.stores,
      site: makeSite({ baseUrl: 'https://moved.example.org/news/' }),
      fingerprint: 'moved-domain',
    });
    const report = await moved.publish(minutes(101));
    expect(report.full).toBe(true);
    expect(await idsIn(moved)).toEqual({ rss: created.id, atom: created.id, json: created.id });
  }, 120_000);

  it('gives the same article the same id when it is made again from the same input', () => {
    const site = makeSite();
    const input = { title: 'Harbour bridge reopens', body: 'Text.' };

    expect(articleFromInput(input, { site, now: START }).id).toBe(
      articleFromInput(input, { site: makeSite({ baseUrl: 'https://elsewhere.example.net/' }), now: minutes(5) }).id,
    );
  });
});
