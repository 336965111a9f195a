import { describe, expect, it } from 'vitest';
import { changedFeedUrls } from '../../../functions/core/publish/websub.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { xmlTree } from '../../support/feed-readers.js';
import { RecordingWebSub } from '../../support/fakes/websub.js';
import { publishHarness } from '../../support/publish-harness.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const HUB = 'https://hub.example.net/';
const site = makeSite({ websubHub: HUB, feedItemLimit: 2 });

describe('WebSub in a publish', () => {
  it('names the hub in every format of every feed', async () => {
    const h = publishHarness({ site, websub: new RecordingWebSub() });
    await h.deps.articles.create(makeArticle({ tags: ['news'] }));
    await h.publish(NOW);

    const rssLinks = xmlTree((await h.text('tags/news/feed.xml'))!).rss.channel['atom:link'];
    const atomLinks = xmlTree((await h.text('atom.xml'))!).feed.link;

    expect(rssLinks).toContainEqual({ '@rel': 'hub', '@href': HUB });
    expect(atomLinks).toContainEqual({ '@rel': 'hub', '@href': HUB });
    expect(JSON.parse((await h.text('feed.json'))!).hubs).toEqual([{ type: 'WebSub', url: HUB }]);
  });

  it('tells the hub which subscription feeds a publish changed, and only those', async () => {
    const hub = new RecordingWebSub();
    const h = publishHarness({ site, websub: hub });
    for (let i = 0; i < 3; i++) await h.deps.articles.create(makeArticle({ tags: ['news'] }));
    await h.publish(NOW);
    await h.deps.articles.create(makeArticle({ tags: ['sport'], published: new Date(NOW.getTime() + 60_000).toISOString() }));

    const report = await h.publish(new Date(NOW.getTime() + 120_000));

    const expected = ['feed.xml', 'atom.xml', 'feed.json', 'tags/sport/feed.xml', 'tags/sport/atom.xml', 'tags/sport/feed.json'].map(
      (k) => `${site.baseUrl}${k}`,
    );
    expect([...hub.told[1]!].sort()).toEqual(expected.sort());
    expect(report.websub).toEqual({ pinged: hub.told[1] });
  });

  it('succeeds and reports why when the hub fails', async () => {
    const warnings: string[] = [];
    const hub = new RecordingWebSub({ refuses: () => true });
    const h = publishHarness({ site, websub: hub, warn: (message) => warnings.push(message) });
    await h.deps.articles.create(makeArticle());

    const report = await h.publish(NOW);

    expect(report.written).toContain('feed.xml');
    expect(report.websub).toEqual({ pinged: [], error: hub.refusals[0]!.message });
    expect(warnings).toEqual([expect.stringContaining(`WebSub hub ${HUB} was not told about`)]);
  });

  it('leaves archive pages, pages and sitemaps out of the ping', () => {
    expect(
      changedFeedUrls(site, [
        'feed.xml',
        'archive/feed-1.xml',
        'tags/a/archive/atom-2.xml',
        'tags/a/feed.json',
        'index.html',
        'sitemap.xml',
      ]),
    ).toEqual([`${site.baseUrl}feed.xml`, `${site.baseUrl}tags/a/feed.json`]);
  });
});
