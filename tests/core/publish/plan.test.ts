import { describe, expect, it } from 'vitest';
import type { OutputObject } from '../../../functions/core/site.js';
import { output, outputHash } from '../../../functions/core/publish/outputs.js';
import { phaseOf, planPublish } from '../../../functions/core/publish/plan.js';

const page = (key: string, body = `<p>${key}</p>`): OutputObject => output(key, body, 'html', 'page');

describe('phaseOf', () => {
  it.each([
    ['articles/a/index.html', 0],
    ['digests/2025-04-22-abc/index.html', 0],
    ['tags/news/index.html', 1],
    ['digests/index.html', 1],
    ['tags/news/feed.xml', 2],
    ['index.html', 2],
    ['feed.xml', 2],
    ['atom.xml', 2],
    ['feed.json', 2],
    // The sitemap index links to these: they land in a phase before it.
    ['sitemaps/pages.xml', 1],
    ['sitemaps/articles-latest.xml', 1],
    ['sitemap.xml', 2],
  ])('puts %s in phase %i', (key, phase) => {
    expect(phaseOf(key)).toBe(phase);
  });
});

describe('planPublish', () => {
  it('writes every object when nothing was published before, pages before the feeds that link to them', () => {
    const plan = planPublish(
      [output('feed.xml', '<rss/>', 'rss', 'listing'), page('tags/x/index.html'), page('articles/a/index.html')],
      new Map(),
      [],
    );
    expect(plan.phases.map((p) => p.map((o) => o.key))).toEqual([['articles/a/index.html'], ['tags/x/index.html'], ['feed.xml']]);
    expect(plan.unchanged).toBe(0);
    expect(plan.hashes.size).toBe(3);
  });

  it('skips objects whose hash matches the manifest', () => {
    const a = page('articles/a/index.html');
    const b = page('articles/b/index.html');
    const plan = planPublish([a, b], new Map([[a.key, outputHash(a)]]), []);
    expect(plan.phases.flat().map((o) => o.key)).toEqual(['articles/b/index.html']);
    expect(plan.unchanged).toBe(1);
  });

  it('rewrites an object whose headers changed even when its body did not', () => {
    const before = output('feed.xml', '<rss/>', 'rss', 'listing');
    const after = { ...before, cacheControl: 'no-cache' };
    expect(planPublish([after], new Map([[before.key, outputHash(before)]]), []).phases.flat()).toEqual([after]);
  });

  it('deletes only candidates that were published and are no longer produced', () => {
    const kept = page('articles/kept/index.html');
    const previous = new Map([
      [kept.key, outputHash(kept)],
      ['articles/gone/index.html', 'x'],
    ]);
    const plan = planPublish([kept], previous, ['articles/gone/index.html', 'articles/never/index.html', kept.key]);
    expect(plan.deletes).toEqual(['articles/gone/index.html']);
  });

  it('refuses to build the same key twice', () => {
    expect(() => planPublish([page('index.html'), page('index.html')], new Map(), [])).toThrow(/twice/);
  });
});
