import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { feedPageKeyFor, prefersHtml } from '../../functions/core/feeds/feed-page-route.js';

type Request = { uri: string; headers: Record<string, { value: string }> };
type Handler = (event: { request: Request }) => Request | { statusCode: number; headers: Record<string, { value: string }> };

/** The CloudFront Function as CloudFront runs it: a plain script defining handler(). */
const handler = (() => {
  const context: { handler?: Handler } = {};
  runInNewContext(
    `${readFileSync(new URL('../../functions/edge/feed-page-rewrite.js', import.meta.url), 'utf8')}\nthis.handler = handler;`,
    context,
  );
  return context.handler!;
})();

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const FEEDPARSER =
  'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1';
const request = (uri: string, accept?: string): { request: Request } => ({
  request: { uri, headers: accept === undefined ? {} : { accept: { value: accept } } },
});

describe('the feed page rewrite (CloudFront Function)', () => {
  it.each([
    ['/feed.xml', BROWSER, '/feeds/index.html'],
    ['/atom.xml', BROWSER, '/feeds/index.html'],
    ['/feed.json', BROWSER, '/feeds/index.html'],
    ['/tags/city-council/feed.xml', BROWSER, '/tags/city-council/feeds/index.html'],
    ['/feed.xml', FEEDPARSER, '/feed.xml'],
    ['/feed.xml', '*/*', '/feed.xml'],
    ['/feed.xml', undefined, '/feed.xml'],
    ['/archive/feed-1.xml', BROWSER, '/archive/feed-1.xml'],
    ['/articles/x/', BROWSER, '/articles/x/index.html'],
    ['/', BROWSER, '/index.html'],
    ['/sitemap.xml', BROWSER, '/sitemap.xml'],
  ])('serves %s asked with Accept %s from %s', (uri, accept, expected) => {
    expect((handler(request(uri, accept)) as Request).uri).toBe(expected);
  });

  it('redirects a directory URL without its slash', () => {
    expect(handler(request('/articles/x'))).toMatchObject({ statusCode: 301, headers: { location: { value: '/articles/x/' } } });
  });

  it.each([
    'feed.xml',
    'atom.xml',
    'feed.json',
    'tags/a/feed.xml',
    'tags/a/feed.json',
    'archive/feed-1.xml',
    'index.html',
    'tags/a/index.html',
  ])('agrees with the core rule on %s', (key) => {
    const edge = (handler(request(`/${key}`, BROWSER)) as Request).uri;
    const core = feedPageKeyFor(key);
    expect(edge).toBe(`/${core ?? key}`);
  });

  it.each([
    [BROWSER, true],
    [FEEDPARSER, false],
    ['*/*', false],
    ['', false],
    [undefined, false],
    ['TEXT/HTML', true],
  ])('reads Accept %s as a browser: %s', (accept, browser) => {
    expect(prefersHtml(accept)).toBe(browser);
  });
});
