import { describe, expect, it } from 'vitest';
import { renderFeedPage } from '../../../functions/core/pages/feed-page.js';
import { renderArticleSitemap, renderPagesSitemap, renderRobots, renderSitemapIndex } from '../../../functions/core/pages/sitemap.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { xmlTree } from '../../support/feed-readers.js';
import { byClass, elements, links, parseHtml, text } from './html.js';

const site = makeSite();

describe('renderFeedPage', () => {
  it('gives a person every address to copy into a reader, and the latest articles', () => {
    const latest = Array.from({ length: 12 }, () => makeArticle());

    const page = parseHtml(renderFeedPage(site, undefined, latest));

    expect(text(elements(page, 'h1')[0]!)).toBe(`Follow ${site.title}`);
    expect(elements(byClass(page, 'feed-urls')[0]!, 'a').map((a) => a.attribs.href)).toEqual(
      ['feed.xml', 'atom.xml', 'feed.json'].map((k) => `${site.baseUrl}${k}`),
    );
    expect(elements(byClass(page, 'entries')[0]!, 'li')).toHaveLength(10);
  });

  it("announces a tag's own feeds on the tag's page", () => {
    const page = parseHtml(renderFeedPage(site, 'city', [makeArticle({ tags: ['city'] })]));

    expect(elements(byClass(page, 'feed-urls')[0]!, 'a').map((a) => a.attribs.href)).toEqual(
      ['feed.xml', 'atom.xml', 'feed.json'].map((k) => `${site.baseUrl}tags/city/${k}`),
    );
    expect(links(page, 'alternate').map((l) => l.attribs.href)).toContain(`${site.baseUrl}tags/city/feed.xml`);
  });
});

describe('sitemaps', () => {
  it('lists the sitemaps of closed pages between the pages one and the latest one', () => {
    const locs = xmlTree(renderSitemapIndex(site, 2)).sitemapindex.sitemap.map((s: { loc: string }) => s.loc);

    expect(locs).toEqual(['pages', 'articles-1', 'articles-2', 'articles-latest'].map((n) => `${site.baseUrl}sitemaps/${n}.xml`));
  });

  it('lists article pages with their last change, leaving out those canonical elsewhere', () => {
    const here = makeArticle({ slug: 'here' });
    const elsewhere = makeArticle({ slug: 'elsewhere', canonicalUrl: 'https://other.example.org/a' });

    const urls = xmlTree(renderArticleSitemap(site, [here, elsewhere])).urlset.url;

    expect(urls).toEqual({ loc: `${site.baseUrl}articles/here/`, lastmod: here.updated });
  });

  it('lists the listing pages of every tag, escaped', () => {
    const xml = renderPagesSitemap(site, ['b', 'a']);

    expect(xmlTree(xml).urlset.url.map((u: { loc: string }) => u.loc)).toEqual([
      site.baseUrl,
      `${site.baseUrl}feeds/`,
      `${site.baseUrl}digests/`,
      `${site.baseUrl}tags/a/`,
      `${site.baseUrl}tags/a/feeds/`,
      `${site.baseUrl}tags/b/`,
      `${site.baseUrl}tags/b/feeds/`,
    ]);
  });

  it('points crawlers at the sitemap and away from the API', () => {
    expect(renderRobots(site).split('\n')).toEqual(['User-agent: *', 'Disallow: /api/', '', `Sitemap: ${site.baseUrl}sitemap.xml`, '']);
  });
});
