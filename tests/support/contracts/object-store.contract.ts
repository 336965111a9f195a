/**
 * What every ObjectStore does (functions/core/publish/ports.ts), run against S3ObjectStore on
 * s3rver and against the in-memory fake by tests/adapters/object-store.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../../functions/core/concurrency.js';
import type { ObjectStore, StoredObject } from '../../../functions/core/publish/ports.js';
import type { OutputObject } from '../../../functions/core/site.js';
import { collect } from '../async.js';

let counter = 0;
function makeObject(overrides: Partial<OutputObject> = {}): OutputObject {
  counter += 1;
  return {
    key: `objects/${counter}/feed.xml`,
    body: `<rss version="2.0"><channel><title>Café ${counter} ✓</title></channel></rss>`,
    contentType: 'application/rss+xml; charset=utf-8',
    cacheControl: 'public, max-age=300',
    ...overrides,
  };
}

async function getStored(
  store: ObjectStore,
  key: string,
  conditions?: { ifNoneMatch?: string; ifModifiedSince?: Date },
): Promise<StoredObject> {
  const result = await store.get(key, conditions);
  if (result === undefined || result === 'not-modified') throw new Error(`expected an object at ${key}, got ${String(result)}`);
  return result;
}

/** @param freshStore an empty store of its own for every test. */
export function describeObjectStoreContract(name: string, freshStore: () => Promise<ObjectStore>): void {
  describe(`${name} as an ObjectStore`, () => {
    it('returns what was put: utf-8 body, content type, cache control, etag and date', async () => {
      const store = await freshStore();
      const object = makeObject();
      await store.put(object);

      const stored = await getStored(store, object.key);

      expect(new TextDecoder().decode(stored.body)).toBe(object.body);
      expect(stored.body).toBeInstanceOf(Uint8Array);
      expect(stored).toMatchObject({ key: object.key, contentType: object.contentType, cacheControl: object.cacheControl });
      expect(stored.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(stored.lastModified).toBeInstanceOf(Date);
      expect(Math.abs(stored.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('keeps the etag when the same body is written again, and changes it when the body changes', async () => {
      const store = await freshStore();
      const object = makeObject();
      await store.put(object);
      const first = await getStored(store, object.key);

      await store.put(object);
      const same = await getStored(store, object.key);
      await store.put({ ...object, body: `${object.body}<!-- changed -->` });
      const changed = await getStored(store, object.key);

      expect(same.etag).toBe(first.etag);
      expect(changed.etag).not.toBe(first.etag);
    });

    it('answers not-modified when If-None-Match names the current etag', async () => {
      const store = await freshStore();
      const object = makeObject();
      await store.put(object);
      const { etag } = await getStored(store, object.key);

      expect(await store.get(object.key, { ifNoneMatch: etag })).toBe('not-modified');
    });

    it('returns the object when If-None-Match names an older etag', async () => {
      const store = await freshStore();
      const object = makeObject();
      await store.put(object);
      const { etag } = await getStored(store, object.key);
      await store.put({ ...object, body: 'new body' });

      const stored = await getStored(store, object.key, { ifNoneMatch: etag });

      expect(new TextDecoder().decode(stored.body)).toBe('new body');
    });

    it.each([
      { when: 'after the last write', offsetMs: 60_000, expected: 'not-modified' },
      { when: 'at the last write', offsetMs: 0, expected: 'not-modified' },
      { when: 'before the last write', offsetMs: -3_600_000, expected: 'object' },
    ])('answers If-Modified-Since $when with $expected', async ({ offsetMs, expected }) => {
      const store = await freshStore();
      const object = makeObject();
      await store.put(object);
      const { lastModified } = await getStored(store, object.key);

      const result = await store.get(object.key, { ifModifiedSince: new Date(lastModified.getTime() + offsetMs) });

      expect(result === 'not-modified' ? 'not-modified' : 'object').toBe(expected);
    });

    it('returns undefined for a missing key', async () => {
      const store = await freshStore();
      expect(await store.get('no/such/key.html')).toBeUndefined();
    });

    it('does not fail when deleting keys that do not exist', async () => {
      const store = await freshStore();
      await expect(store.delete(['never/written/1', 'never/written/2'])).resolves.toBeUndefined();
    });

    it('lists more than one page of objects under a prefix, then deletes them all in batches', async () => {
      const store = await freshStore();
      // S3's ListObjectsV2 pages hold 1,000 keys and DeleteObjects takes 1,000: 1,050 needs two of each.
      const keys = Array.from({ length: 1_050 }, (_, i) => `bulk/${String(i).padStart(4, '0')}.html`);
      await mapWithConcurrency(keys, 16, (key) =>
        store.put(makeObject({ key, body: `<p>${key}</p>`, contentType: 'text/html; charset=utf-8' })),
      );
      const outsider = makeObject({ key: 'bulky/not-in-prefix.html' });
      await store.put(outsider);

      const listed = await collect(store.list('bulk/'));

      expect(listed.map((entry) => entry.key)).toEqual(keys);
      expect(listed[0]).toEqual({ key: keys[0], etag: expect.stringMatching(/^"[0-9a-f]{32}"$/), size: `<p>${keys[0]}</p>`.length });

      await store.delete([...keys, 'bulk/never-written.html']);

      expect(await collect(store.list('bulk/'))).toEqual([]);
      expect(await store.get(outsider.key)).not.toBeUndefined();
    });

    it('lists from after a key, over more than one page, in the order of the keys’ UTF-8 bytes', async () => {
      const store = await freshStore();
      const keys = [
        ...Array.from({ length: 1_010 }, (_, i) => `page/${String(i).padStart(4, '0')}.html`),
        'tags/c#/feed.xml',
        'tags/\u00e9t\u00e9/feed.xml',
      ];
      await mapWithConcurrency(keys, 16, (key) => store.put(makeObject({ key })));

      const listed = await collect(store.list(undefined, 'page/0004.html'));

      expect(listed.map((entry) => entry.key)).toEqual(keys.slice(5));
    });
  });
}
