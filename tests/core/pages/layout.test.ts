import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../../functions/core/site.js';
import { renderArticlePage, renderDigestIndexPage, renderIndexPage, renderTagPage } from '../../../functions/core/pages/index.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { attr, byId, elements, isAbsoluteHttpUrl, links, metaContent, parseHtml, text, urlAttributes, type Element } from './html.js';

// Each entry builds its fixtures when called, then renders them for whatever site a test asks.
const pages: Array<[name: string, setup: () => (site: SiteConfig) => string]> = [
  [
    'article page',
    () => {
      const article = makeArticle({ slug: 'hello' });
      return (site) => renderArticlePage(site, article);
    },
  ],
  [
    'home page',
    () => {
      const articles = [makeArticle(), makeArticle()];
      return (site) => renderIndexPage(site, articles, ['news']);
    },
  ],
  [
    'tag page',
    () => {
      const articles = [makeArticle()];
      return (site) => renderTagPage(site, 'news', articles);
    },
  ],
  [
    'digest archive',
    () => (site) =>
      renderDigestIndexPage(site, [
        { id: 'd1', createdAt: '2025-04-01T08:00:00.000Z', subject: 'Example News: 2 new articles', articleSlugs: ['a', 'b'] },
      ]),
  ],
];

describe.each(pages)('the %s', (_name, setup) => {
  it('is a complete HTML document in the site language', () => {
    const html = setup()(makeSite({ language: 'fr-CA' }));
    expect(html.startsWith('<!doctype html><html')).toBe(true);
    const doc = parseHtml(html);
    expect(attr(elements(doc, 'html')[0]!, 'lang')).toBe('fr-CA');
    expect(elements(doc, 'meta').some((m) => attr(m, 'charset') === 'utf-8')).toBe(true);
    expect(metaContent(doc, 'viewport')).toEqual(['width=device-width, initial-scale=1']);
    expect(text(elements(doc, 'title')[0]!)).toContain('Example News');
    expect(metaContent(doc, 'description')[0]).not.toBe('');
  });

  it('names one absolute canonical URL', () => {
    const canonical = links(parseHtml(setup()(makeSite())), 'canonical');
    expect(canonical).toHaveLength(1);
    expect(attr(canonical[0]!, 'href')).toMatch(/^https:\/\/news\.example\.com\//);
  });

  it('announces the site feeds for autodiscovery', () => {
    const feeds = links(parseHtml(setup()(makeSite())), 'alternate').map((l) => [attr(l, 'type'), attr(l, 'href')]);
    expect(feeds).toEqual(
      expect.arrayContaining([
        ['application/rss+xml', 'https://news.example.com/feed.xml'],
        ['application/atom+xml', 'https://news.example.com/atom.xml'],
        ['application/feed+json', 'https://news.example.com/feed.json'],
      ]),
    );
    for (const link of links(parseHtml(setup()(makeSite())), 'alternate')) expect(attr(link, 'title')).toContain('Example News');
  });

  it('has a header whose site title links home', () => {
    const header = elements(parseHtml(setup()(makeSite())), 'header')[0]!;
    const home = elements(header, 'a')[0]!;
    expect([attr(home, 'href'), text(home)]).toEqual(['https://news.example.com/', 'Example News']);
  });

  it('has a subscribe form that posts a labelled, required email address', () => {
    const doc = parseHtml(setup()(makeSite()));
    const section = byId(doc, 'subscribe')!;
    const form = elements(section, 'form')[0]!;
    expect([attr(form, 'method'), attr(form, 'action')]).toEqual(['post', 'https://news.example.com/api/subscribe']);
    const input = elements(form, 'input')[0]!;
    expect([attr(input, 'type'), attr(input, 'name'), attr(input, 'required')]).toEqual(['email', 'email', '']);
    const label = elements(form, 'label')[0]!;
    expect(attr(label, 'for')).toBe(attr(input, 'id'));
    expect(text(label)).toBe('Email address');
    expect(elements(form, 'button').map((b) => attr(b, 'type'))).toEqual(['submit']);
  });

  it('keeps the address and the button first, the choices folded away beneath them with the defaults checked', () => {
    const form = elements(byId(parseHtml(setup()(makeSite())), 'subscribe')!, 'form')[0]!;
    const children = form.children.filter((node): node is Element => node.type === 'tag');
    expect(children.map((el) => el.name)).toEqual(['label', 'input', 'button', 'details']);
    const details = children[3]!;
    expect(attr(details, 'open')).toBeUndefined();
    expect(text(elements(details, 'summary')[0]!)).toBe('Choose topics and how often');
    const checked = elements(details, 'input').filter((el) => attr(el, 'checked') !== undefined);
    expect(checked.map((el) => `${attr(el, 'name')}=${attr(el, 'value')}`)).toEqual(['cadence=digest', 'format=summary']);
    // Every radio and box inside its label, every select named by one.
    for (const input of elements(details, 'input')) expect(input.parent && (input.parent as Element).name).toBe('label');
    for (const select of elements(details, 'select'))
      expect(elements(details, 'label').some((label) => attr(label, 'for') === attr(select, 'id'))).toBe(true);
  });

  it('links to the feeds and the digest archive', () => {
    const footer = elements(parseHtml(setup()(makeSite())), 'footer')[0]!;
    const hrefs = elements(footer, 'a').map((a) => attr(a, 'href'));
    expect(hrefs).toEqual(
      expect.arrayContaining([
        'https://news.example.com/feed.xml',
        'https://news.example.com/atom.xml',
        'https://news.example.com/feed.json',
        'https://news.example.com/digests/',
      ]),
    );
  });

  it('uses only absolute URLs, under a base path too', () => {
    const doc = parseHtml(setup()(makeSite({ baseUrl: 'https://example.org/news/' })));
    const urls = urlAttributes(doc);
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.filter((u) => !isAbsoluteHttpUrl(u.value))).toEqual([]);
    expect(attr(links(doc, 'canonical')[0]!, 'href')).toMatch(/^https:\/\/example\.org\/news\//);
  });

  it('runs no JavaScript and carries its one stylesheet inline', () => {
    const doc = parseHtml(setup()(makeSite()));
    expect(elements(doc, 'script')).toEqual([]);
    const styles = elements(doc, 'style');
    expect(styles).toHaveLength(1);
    expect(text(styles[0]!)).toContain('prefers-color-scheme:dark');
    expect(links(doc, 'stylesheet')).toEqual([]);
  });

  it('escapes the site title wherever it appears', () => {
    const html = setup()(makeSite({ title: '<b>Bold</b> & "Co"' }));
    expect(html).not.toContain('<b>Bold</b>');
    const doc = parseHtml(html);
    expect(elements(doc, 'b')).toEqual([]);
    expect(text(elements(elements(doc, 'header')[0]!, 'a')[0]!)).toBe('<b>Bold</b> & "Co"');
  });

  it('is the same for the same input', () => {
    const render = setup();
    expect(render(makeSite())).toBe(render(makeSite()));
  });
});

describe('the subscribe form', () => {
  it.each([
    ['a site-relative endpoint', '/api/subscribe', 'https://news.example.com/api/subscribe'],
    ['an absolute endpoint', 'https://api.example.net/subscribe', 'https://api.example.net/subscribe'],
  ])('posts to %s as an absolute URL', (_case, subscribeUrl, expected) => {
    const form = elements(parseHtml(renderIndexPage(makeSite({ subscribeUrl }), [], [])), 'form')[0]!;
    expect(attr(form, 'action')).toBe(expected);
  });

  /** The tags a page's subscribe form offers to follow. */
  const offered = (html: string) =>
    elements(byId(parseHtml(html), 'subscribe')!, 'input')
      .filter((el) => attr(el, 'name') === 'topics')
      .map((el) => attr(el, 'value'));

  it('offers the page’s own tags to follow, none checked: an article’s, a tag page’s, the home page’s', () => {
    const site = makeSite();
    expect(offered(renderArticlePage(site, makeArticle({ tags: ['travel', 'maps'] })))).toEqual(['maps', 'travel']);
    expect(offered(renderTagPage(site, 'news', [makeArticle()]))).toEqual(['news']);
    expect(offered(renderIndexPage(site, [makeArticle()], ['news', 'science']))).toEqual(['news', 'science']);
    const home = parseHtml(renderIndexPage(site, [makeArticle()], ['news']));
    expect(elements(home, 'input').filter((el) => attr(el, 'name') === 'topics' && attr(el, 'checked') !== undefined)).toEqual([]);
  });

  it('offers no tag where the page has none, so a new tag elsewhere never changes it', () => {
    const site = makeSite();
    const archive = renderDigestIndexPage(site, []);
    expect(offered(archive)).toEqual([]);
    expect(archive).not.toContain('Which articles');
    expect(archive).toContain('name="cadence"');
  });
});
