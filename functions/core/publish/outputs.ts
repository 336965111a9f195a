/**
 * How each kind of output is served: its Content-Type and Cache-Control, and the content
 * hash the manifest compares. One table, so S3, the local server and CloudFront agree.
 */
import { createHash } from 'node:crypto';
import { FEED_CONTENT_TYPES } from '../feeds/build-feeds.js';
import type { OutputObject } from '../site.js';

export const contentTypes = {
  html: 'text/html; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  ...FEED_CONTENT_TYPES,
} as const;

export const cachePolicies = {
  /** Feeds and listings change on every publish: readers and CloudFront re-check after 5 minutes. */
  listing: 'public, max-age=300',
  /** An article page changes only when the article is edited; publishing invalidates it in CloudFront. */
  page: 'public, max-age=3600',
  /** A digest's web version is never rewritten once published. */
  immutable: 'public, max-age=31536000, immutable',
  /**
   * An RFC 5005 archive page keeps its articles once closed (an article that appears later is
   * placed after it: archive-pages.ts); it is rewritten only to mend one of its articles (an
   * edit, a retraction) or once to gain its next-archive link, and publishing invalidates it in
   * CloudFront then. Not `immutable`, so readers that kept a copy ask again within a day.
   */
  archive: 'public, max-age=86400',
} as const;

export type CachePolicy = keyof typeof cachePolicies;

export function output(key: string, body: string, type: keyof typeof contentTypes, cache: CachePolicy): OutputObject {
  return { key, body, contentType: contentTypes[type], cacheControl: cachePolicies[cache] };
}

/**
 * The manifest's hash covers the headers too, so a change of Content-Type or Cache-Control
 * rewrites the object even when its bytes are the same.
 */
export function outputHash(object: OutputObject): string {
  return createHash('sha256')
    .update(object.contentType)
    .update('\n')
    .update(object.cacheControl)
    .update('\n')
    .update(object.body)
    .digest('base64url');
}
