/**
 * Serves the site bucket the way CloudFront would: directory URLs map to index.html, each
 * object keeps its Content-Type, Cache-Control, ETag and Last-Modified, and conditional GETs
 * are answered with 304 so feed readers polling the local site behave as in production.
 */
import type { Context } from 'hono';
import { feedPageKeyFor, prefersHtml } from '../core/feeds/feed-page-route.js';
import type { ObjectStore } from '../core/publish/ports.js';
import { paths } from '../core/site.js';

export function objectKeyFor(pathname: string): string {
  const path = decodeURIComponent(pathname).replace(/^\/+/, '');
  if (path === '' || path.endsWith('/')) return `${path}index.html`;
  return path;
}

/** The site's own 404 page, as CloudFront serves it for a key the bucket does not hold; plain text before the first publish. */
async function notFound(c: Context, objects: ObjectStore): Promise<Response> {
  const page = await objects.get(paths.notFound);
  if (!page || page === 'not-modified') return c.text('Not found', 404);
  return new Response(c.req.method === 'HEAD' ? null : page.body, { status: 404, headers: { 'content-type': page.contentType } });
}

/** The request's conditional-GET headers, as the object store takes them; an unreadable date is no condition. */
function conditionsOf(c: Context): { ifNoneMatch?: string; ifModifiedSince?: Date } {
  const ifNoneMatch = c.req.header('if-none-match');
  const since = new Date(c.req.header('if-modified-since') ?? Number.NaN);
  return { ...(ifNoneMatch ? { ifNoneMatch } : {}), ...(Number.isNaN(since.getTime()) ? {} : { ifModifiedSince: since }) };
}

export async function serveObject(c: Context, objects: ObjectStore): Promise<Response> {
  const url = new URL(c.req.url);
  let key: string;
  try {
    key = objectKeyFor(url.pathname);
  } catch {
    return c.text('Bad request', 400);
  }
  if (key.split('/').includes('..')) return notFound(c, objects);
  // A browser opening a feed URL gets the feed's page, as the CloudFront Function serves it (functions/edge/).
  const feedPage = feedPageKeyFor(key);
  if (feedPage !== undefined && prefersHtml(c.req.header('accept'))) key = feedPage;
  const found = await objects.get(key, conditionsOf(c));
  if (found === 'not-modified') return new Response(null, { status: 304 });
  if (!found) {
    // A directory without its trailing slash: redirect as S3 website hosting and CloudFront functions do.
    if (!key.endsWith('.html') && !key.includes('.') && (await objects.get(`${key}/index.html`))) {
      return c.redirect(`${url.pathname}/`, 301);
    }
    return notFound(c, objects);
  }
  return new Response(c.req.method === 'HEAD' ? null : found.body, {
    headers: {
      'content-type': found.contentType,
      etag: found.etag,
      'last-modified': found.lastModified.toUTCString(),
      ...(found.cacheControl ? { 'cache-control': found.cacheControl } : {}),
      ...(feedPage !== undefined ? { vary: 'Accept' } : {}),
    },
  });
}
