import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ExpectedArticle } from './published-site.js';
import { feedKeys, mapLimit, run, SYSTEM_PYTHON } from './support.js';

const site = inject('site');

interface CachedItem {
  guid: string;
  title: string;
  url: string;
  pubDate: number;
}

/** Reads the rss_item table of a newsboat cache (sqlite3's CLI may be absent; Python's module is not). */
const READ_CACHE = `
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute('select guid, title, url, pubDate from rss_item').fetchall()
print(json.dumps([dict(guid=g, title=t, url=u, pubDate=p) for g, t, u, p in rows]))
`;

/**
 * newsboat reading one feed, headless: its own urls file, config and cache (it de-duplicates
 * items by guid across every feed of a cache, so one cache per feed), then the items it stored.
 */
async function newsboat(key: string): Promise<CachedItem[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pressrun-newsboat-'));
  await writeFile(join(dir, 'urls'), `${new URL(key, site.baseUrl)}\n`);
  await writeFile(join(dir, 'config'), 'download-timeout 30\n');
  const cache = join(dir, 'cache.db');
  try {
    await run('newsboat', ['-u', join(dir, 'urls'), '-c', cache, '-C', join(dir, 'config'), '-x', 'reload'], {
      env: { ...process.env, HOME: dir },
      timeout: 60_000,
    });
    const { stdout } = await run(SYSTEM_PYTHON, ['-c', READ_CACHE, cache]);
    return JSON.parse(stdout) as CachedItem[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The guids a feed document holds, as we published it. */
async function guidsOf(key: string): Promise<string[]> {
  const xml = await (await fetch(new URL(key, site.baseUrl))).text();
  return [...xml.matchAll(key.includes('atom') ? /<entry>[\s\S]*?<id>([^<]+)<\/id>/g : /<guid[^>]*>([^<]+)<\/guid>/g)].map((m) => m[1]!);
}

const byId = new Map<string, ExpectedArticle>(site.articles.map((a) => [a.id, a]));
const { rss, atom } = feedKeys(site.keys);
// Every RSS and Atom document: the subscription feeds of the site and each tag, and every archive page.
const documents = [...rss, ...atom];
let cached: Map<string, CachedItem[]>;

beforeAll(async () => {
  const results = await mapLimit(documents, 4, newsboat);
  cached = new Map(documents.map((key, i) => [key, results[i]!]));
}, 600_000);

describe('newsboat', () => {
  it('stores every item of every feed and archive page', async () => {
    const missing: string[] = [];
    for (const key of documents) {
      const stored = new Set(cached.get(key)!.map((item) => item.guid));
      for (const guid of await guidsOf(key)) if (!stored.has(guid)) missing.push(`${key}: ${guid}`);
    }
    expect(missing.slice(0, 20)).toEqual([]);
    expect(documents.length).toBeGreaterThan(60);
  });

  it('stores each item with the title, link and date of its article', () => {
    const wrong: string[] = [];
    for (const [key, items] of cached) {
      for (const item of items) {
        const article = byId.get(item.guid);
        const dates = [article?.published, article?.updated].map((d) => Math.floor(Date.parse(d ?? '') / 1000));
        if (!article) wrong.push(`${key}: unknown guid ${item.guid}`);
        else if (item.title !== article.title) wrong.push(`${key}: title "${item.title}" for "${article.title}"`);
        else if (item.url !== article.link) wrong.push(`${key}: url ${item.url} for ${article.link}`);
        else if (!dates.includes(item.pubDate))
          wrong.push(`${key}: date ${new Date(item.pubDate * 1000).toISOString()} for ${article.published}`);
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('meets every published article when it reads the site feed and all its archive pages', () => {
    const seen = new Set([...cached].filter(([key]) => !key.startsWith('tags/')).flatMap(([, items]) => items.map((item) => item.guid)));
    expect(seen.size).toBe(site.articles.length);
  });
});
