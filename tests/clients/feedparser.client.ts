import { beforeAll, describe, expect, inject, it } from 'vitest';
import { checkFeed } from '../../functions/core/feeds/validate/validate-feeds.js';
import type { ExpectedArticle } from './published-site.js';
import { GENERATED_ARTICLES } from './published-site.js';
import { feedKeys, run, SYSTEM_PYTHON } from './support.js';

const site = inject('site');
const SCRIPT = new URL('./read_feeds.py', import.meta.url).pathname;

interface Read {
  url: string;
  version: string;
  bozo: boolean;
  bozo_exception: string | null;
  links: Record<string, string>;
  entries: Array<{ id: string; title: string; link: string; published: string | null; updated: string | null }>;
}

/** feedparser's reading of each key, fetched over HTTP by feedparser itself. */
async function feedparser(keys: readonly string[]): Promise<Map<string, Read>> {
  const read = new Map<string, Read>();
  for (let i = 0; i < keys.length; i += 100) {
    const batch = keys.slice(i, i + 100);
    const { stdout } = await run(SYSTEM_PYTHON, [SCRIPT, ...batch.map((k) => new URL(k, site.baseUrl).toString())], {
      maxBuffer: 256 * 1024 * 1024,
    });
    (JSON.parse(stdout) as Read[]).forEach((r, j) => read.set(batch[j]!, r));
  }
  return read;
}

const byId = new Map<string, ExpectedArticle>(site.articles.map((a) => [a.id, a]));
const seconds = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');
const scopeOf = (key: string) => /^tags\/([^/]+)\//.exec(key)?.[1];
const inScope = (tag: string | undefined) => site.articles.filter((a) => tag === undefined || a.tags.includes(tag));

let reads: Map<string, Read>;
// Debian's feedparser (6.0) predates its JSON Feed support, as newsboat has none: JSON Feed is read by fetch below.
const { rss, atom, json } = feedKeys(site.keys);
beforeAll(async () => {
  reads = await feedparser([...rss, ...atom]);
}, 300_000);

describe('python3-feedparser', () => {
  it(`reads the example content and the ${GENERATED_ARTICLES}-article archive`, () => {
    expect(site.articles.length).toBeGreaterThan(GENERATED_ARTICLES);
    expect(reads.size).toBe(rss.length + atom.length);
  });

  it('reads every feed and archive page without a bozo, in the format it claims', () => {
    const troubled = [...reads].filter(([, r]) => r.bozo).map(([key, r]) => `${key}: ${r.bozo_exception}`);
    expect(troubled).toEqual([]);
    expect(new Set(rss.map((k) => reads.get(k)!.version))).toEqual(new Set(['rss20']));
    expect(new Set(atom.map((k) => reads.get(k)!.version))).toEqual(new Set(['atom10']));
  });

  it('reads every item with the id, title, link and date of its article', () => {
    const wrong: string[] = [];
    for (const [key, read] of reads) {
      for (const entry of read.entries) {
        const article = byId.get(entry.id);
        const dates = [entry.published, entry.updated].filter((d): d is string => d !== null);
        if (!article) wrong.push(`${key}: unknown id ${entry.id}`);
        else if (entry.title !== article.title) wrong.push(`${key}: title "${entry.title}" for "${article.title}"`);
        else if (entry.link !== article.link) wrong.push(`${key}: link ${entry.link} for ${article.link}`);
        else if (!dates.some((d) => d === seconds(article.published) || d === seconds(article.updated)))
          wrong.push(`${key}: dates ${dates.join(', ')} for ${article.published}`);
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it.each(['feed.xml', 'atom.xml', 'tags/topic-1/feed.xml', 'tags/topic-7/atom.xml', 'tags/pressrun/feed.xml'])(
    'pages back from %s through prev-archive links to the first article to appear, meeting every article of its feed',
    (start) => {
      const seen = new Set<string>();
      const visited: string[] = [];
      for (let key: string | undefined = start; key !== undefined;) {
        const read = reads.get(key);
        expect(read, `${key} is linked but was not published`).toBeDefined();
        visited.push(key);
        for (const entry of read!.entries) seen.add(entry.id);
        if (visited.length > 1) expect(read!.links.current).toBe(new URL(start, site.baseUrl).toString());
        const prev = read!.links['prev-archive'];
        key = prev === undefined ? undefined : prev.slice(site.baseUrl.length);
      }
      const expected = inScope(scopeOf(start));
      expect([...seen].sort()).toEqual(expected.map((a) => a.id).sort());
      // Archives follow the order articles appeared in: the first archive page holds the first to appear.
      const oldest = expected.reduce((a, b) => (a.placed <= b.placed ? a : b));
      expect(reads.get(visited.at(-1)!)!.entries.map((e) => e.id)).toContain(oldest.id);
    },
  );

  it('pages back through JSON Feed next_url the same way, each page valid JSON Feed 1.1', async () => {
    const seen = new Set<string>();
    let pages = 0;
    for (let url: string | undefined = new URL('feed.json', site.baseUrl).toString(); url !== undefined; pages++) {
      const response = await fetch(url);
      const body = await response.text();
      expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
      expect(
        checkFeed({ key: url.slice(site.baseUrl.length), body, format: 'json' }, { site: { baseUrl: site.baseUrl }, now: new Date() }),
      ).toEqual([]);
      const feed = JSON.parse(body) as { items: Array<{ id: string }>; next_url?: string };
      for (const item of feed.items) seen.add(item.id);
      url = feed.next_url;
    }
    expect(seen.size).toBe(site.articles.length);
    expect(pages).toBe(json.filter((k) => k.startsWith('archive/')).length + 1);
  });
});
