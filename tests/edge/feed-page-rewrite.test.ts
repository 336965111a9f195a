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
});

/** Where a browser on the site goes when it follows the function's redirect, resolved by the URL parser browsers use. */
const redirectTarget = (uri: string) => {
  const answer = handler(request(uri)) as { statusCode?: number; headers?: Record<string, { value: string }> };
  return answer.statusCode === 301 ? new URL(answer.headers!.location!.value, 'https://news.example/') : undefined;
};

describe('the site viewer-request function refuses to send readers elsewhere', () => {
  it.each([
    ['//evil.example/x', '/evil.example/x/'],
    ['///evil.example/x', '/evil.example/x/'],
    ['/\\evil.example/x', '/evil.example/x/'],
    ['/\\/evil.example/x', '/evil.example/x/'],
    ['//\\evil', '/evil/'],
    ['/%2F%2Fevil.example/x', '/%2F%2Fevil.example/x/'],
    ['/%5C%5Cevil.example/x', '/%5C%5Cevil.example/x/'],
    ['//articles/x', '/articles/x/'],
  ])('redirects %s to the path %s of the site', (uri, location) => {
    expect(handler(request(uri))).toMatchObject({ statusCode: 301, headers: { location: { value: location } } });
    expect(redirectTarget(uri)?.host).toBe('news.example');
  });

  it('keeps every redirect on the site, whatever mix of slashes, backslashes and escapes leads the path', () => {
    const parts = ['/', '\\', '%2F', '%5C', '%2f', '.', 'evil.example', 'x', '@', ':', 'https:', 'javascript:'];
    let checked = 0;
    for (const a of parts)
      for (const b of parts)
        for (const c of parts) {
          const target = redirectTarget(`/${a}${b}${c}/x`);
          if (!target) continue;
          checked++;
          expect({ uri: `/${a}${b}${c}/x`, host: target.host, protocol: target.protocol }).toEqual({
            uri: `/${a}${b}${c}/x`,
            host: 'news.example',
            protocol: 'https:',
          });
        }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('the site viewer-request function refuses URIs no object can have', () => {
  it.each([
    ['a NUL byte', '/a\u0000b'],
    ['a percent-encoded NUL', '/%00'],
    ['a percent-encoded NUL in a directory URL', '/articles/%00/'],
    ['a tab, which browsers drop from a Location', '/%09/evil.example'],
    ['a raw newline', '/a\nb'],
    ['DEL', '/a%7Fb'],
    ['5,000 characters', `/${'a'.repeat(5_000)}`],
    ['a key of 1,025 bytes', `/${'a'.repeat(1_025)}`],
    ['a key of 1,026 UTF-8 bytes', `/${'é'.repeat(513)}`],
    ['a key of 1,026 percent-encoded bytes', `/${'%C3%A9'.repeat(513)}`],
  ])('answers %s with a 400, never a redirect or a 5xx', (_, uri) => {
    expect(handler(request(uri))).toMatchObject({ statusCode: 400 });
  });

  it.each([`/${'a'.repeat(1_024)}`, `/${'é'.repeat(512)}`, `/${'%C3%A9'.repeat(512)}`, '/caf%C3%A9.html'])(
    'lets through a key S3 can hold (%#)',
    (uri) => {
      expect(handler(request(uri))).not.toMatchObject({ statusCode: 400 });
    },
  );
});

describe('the feed page rewrite agrees with the core', () => {
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
