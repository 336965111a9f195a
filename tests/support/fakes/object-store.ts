/**
 * The site bucket in memory, held to S3ObjectStore by tests/support/contracts/object-store.contract.ts.
 * ETags are S3's for a single-part upload (the quoted MD5 of the body); Last-Modified has
 * S3's one-second resolution, from `now` (the clock unless a test passes its own).
 */
import { createHash } from 'node:crypto';
import type { ObjectStore, StoredObject } from '../../../functions/core/publish/ports.js';
import type { OutputObject } from '../../../functions/core/site.js';

export class InMemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async put(object: OutputObject): Promise<void> {
    const body = new Uint8Array(Buffer.from(object.body, 'utf8'));
    this.objects.set(object.key, {
      key: object.key,
      body,
      contentType: object.contentType,
      cacheControl: object.cacheControl,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: new Date(Math.floor(this.now().getTime() / 1000) * 1000),
    });
  }

  /** As HTTP has it (RFC 9110, 13.2.2): If-None-Match decides when given, If-Modified-Since only without it. */
  async get(
    key: string,
    conditions: { ifNoneMatch?: string; ifModifiedSince?: Date } = {},
  ): Promise<StoredObject | 'not-modified' | undefined> {
    const object = this.objects.get(key);
    if (!object) return undefined;
    if (conditions.ifNoneMatch !== undefined) {
      if (conditions.ifNoneMatch === object.etag) return 'not-modified';
    } else if (conditions.ifModifiedSince !== undefined && object.lastModified.getTime() <= conditions.ifModifiedSince.getTime()) {
      return 'not-modified';
    }
    return { ...object, body: object.body.slice(), lastModified: new Date(object.lastModified) };
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key);
  }

  /** In S3's order: by the UTF-8 bytes of the key. */
  async *list(prefix = '', startAfter?: string): AsyncIterable<{ key: string; etag: string; size: number }> {
    const bytes = (key: string) => Buffer.from(key, 'utf8');
    const keys = [...this.objects.keys()]
      .filter((key) => key.startsWith(prefix) && (startAfter === undefined || Buffer.compare(bytes(key), bytes(startAfter)) > 0))
      .sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
    for (const key of keys) {
      const object = this.objects.get(key);
      if (object) yield { key, etag: object.etag, size: object.body.byteLength };
    }
  }
}
