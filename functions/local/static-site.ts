/**
 * Serves the site bucket the way CloudFront would: directory URLs map to index.html, each
 * object keeps its Content-Type, Cache-Control, ETag and Last-Modified, and conditional GETs
 * are answered with 304 so feed readers polling the local site behave as in production.
 * Every answer carries the headers CloudFront's response headers policy adds (`headers`).
 *
 * What the CloudFront Function refuses (functions/edge/feed-page-rewrite.js) is refused here
 * too: a path with a control character or a key longer than S3 holds is a 400, and a redirect
 * only ever names a path of this site.
 */
import type { Context } from 'hono';
import { feedPageKeyFor, prefersHtml } from '../core/feeds/feed-page-route.js';
import type { ObjectStore } from '../core/publish/ports.js';
import { paths } from '../core/site.js';
import { s3rverCanHold } from './s3rver.js';
import { ObjectBeingWritten } from './whole-objects.js';

/** S3 keys are at most 1,024 bytes of UTF-8. */
const S3_KEY_BYTES = 1024;
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export function objectKeyFor(pathname: string): string {
  const path = decodeURIComponent(pathname).replace(/^\/+/, '');
  if (path === '' || path.endsWith('/')) return `${path}index.html`;
  return path;
}

/** The key a path names; undefined for a path no object can have (broken escapes, a control character, too long for S3). */
export function requestedKey(pathname: string): string | undefined {
  let key: string;
  try {
    key = objectKeyFor(pathname);
  } catch {
    return undefined;
  }
  if (CONTROL_CHARACTER.test(key) || Buffer.byteLength(key, 'utf8') > S3_KEY_BYTES) return undefined;
  return key;
}

/**
 * Where a directory URL without its slash redirects: always a path of this site. Leading
 * slashes collapse into one, so `//evil.example/x` (which the URL parser also makes of
 * `/\evil.example/x`) stays `/evil.example/x/` here, never another host's address.
 */
export function directoryRedirect(pathname: string): string {
  return `/${pathname.replace(/^[/\\]+/, '')}/`;
}

export interface ServeOptions {
  /** Sent with every answer, as CloudFront's response headers policy adds them. */
  headers?: Record<string, string>;
}

/** The site's own 404 page, as CloudFront serves it for a key the bucket does not hold; plain text before the first publish. */
async function notFound(c: Context, objects: ObjectStore, headers: Record<string, string>): Promise<Response> {
  const page = await objects.get(paths.notFound);
  if (!page || page === 'not-modified') return c.text('Not found', 404, headers);
  return new Response(c.req.method === 'HEAD' ? null : page.body, {
    status: 404,
    headers: { ...headers, 'content-type': page.contentType },
  });
}

/** The request's conditional-GET headers, as the object store takes them; an unreadable date is no condition. */
function conditionsOf(c: Context): { ifNoneMatch?: string; ifModifiedSince?: Date } {
  const ifNoneMatch = c.req.header('if-none-match');
  const since = new Date(c.req.header('if-modified-since') ?? Number.NaN);
  return { ...(ifNoneMatch ? { ifNoneMatch } : {}), ...(Number.isNaN(since.getTime()) ? {} : { ifModifiedSince: since }) };
}

export async function serveObject(c: Context, objects: ObjectStore, options: ServeOptions = {}): Promise<Response> {
  const headers = options.headers ?? {};
  try {
    return await serve(c, objects, headers);
  } catch (error) {
    // An object still being written after every read (functions/local/whole-objects.ts): S3 would have answered by now.
    if (!(error instanceof ObjectBeingWritten)) throw error;
    return c.text('The site is being published; try again in a moment', 503, { ...headers, 'retry-after': '1' });
  }
}

async function serve(c: Context, objects: ObjectStore, headers: Record<string, string>): Promise<Response> {
  const { pathname } = new URL(c.req.url);
  let key = requestedKey(pathname);
  if (key === undefined) return c.text('Bad request', 400, headers);
  // Nothing was ever published where the local store cannot keep a file: S3 would have no such key either.
  if (key.split('/').includes('..') || !s3rverCanHold(key)) return notFound(c, objects, headers);
  // A browser opening a feed URL gets the feed's page, as the CloudFront Function serves it (functions/edge/).
  const feedPage = feedPageKeyFor(key);
  if (feedPage !== undefined && prefersHtml(c.req.header('accept'))) key = feedPage;
  const found = await objects.get(key, conditionsOf(c));
  if (found === 'not-modified') return new Response(null, { status: 304, headers });
  if (!found) {
    // A directory without its trailing slash: redirect as S3 website hosting and CloudFront functions do.
    const last = key.slice(key.lastIndexOf('/') + 1);
    if (!last.includes('.') && (await objects.get(`${key}/index.html`))) {
      return new Response(null, { status: 301, headers: { ...headers, location: directoryRedirect(pathname) } });
    }
    return notFound(c, objects, headers);
  }
  return new Response(c.req.method === 'HEAD' ? null : found.body, {
    headers: {
      ...headers,
      'content-type': found.contentType,
      etag: found.etag,
      'last-modified': found.lastModified.toUTCString(),
      ...(found.cacheControl ? { 'cache-control': found.cacheControl } : {}),
      ...(feedPage !== undefined ? { vary: 'Accept' } : {}),
    },
  });
}
