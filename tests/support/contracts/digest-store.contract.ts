/**
 * What every DigestStore does (functions/core/digest/ports.ts), run against DynamoDigestStore on
 * dynalite and against the in-memory fake by tests/adapters/digest-store.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Digest, DigestStore } from '../../../functions/core/digest/ports.js';
import { makeDigest } from '../factories.js';

const summary = ({ html: _html, text: _text, ...rest }: Digest) => rest;

/** @param freshStore an empty store of its own for every test. */
export function describeDigestStoreContract(name: string, freshStore: () => Promise<DigestStore>): void {
  describe(`${name} as a DigestStore`, () => {
    it('returns a created digest, and the same one from get', async () => {
      const store = await freshStore();
      const digest = makeDigest('2025-05-01T08:00:00.000Z');

      expect(await store.create(digest)).toEqual(digest);
      expect(await store.get(digest.id)).toEqual(digest);
    });

    it('keeps the ids of the articles a digest carried, and lists them; a digest made before it kept them has none', async () => {
      const store = await freshStore();
      const carried = makeDigest('2025-05-02T08:00:00.000Z', { articleIds: ['urn:uuid:2', 'urn:uuid:1'] });
      const older = makeDigest('2025-05-01T08:00:00.000Z');
      await store.create(carried);
      await store.create(older);

      expect(await store.get(carried.id)).toEqual(carried);
      expect((await store.list()).map((d) => d.articleIds)).toEqual([['urn:uuid:2', 'urn:uuid:1'], undefined]);
    });

    it('keeps the first digest when one with the same id is created again', async () => {
      const store = await freshStore();
      const first = makeDigest('2025-05-01T08:00:00.000Z');
      await store.create(first);

      const again = await store.create({ ...first, subject: 'Rendered twice', html: '<p>other</p>' });

      expect(again).toEqual(first);
      expect(await store.get(first.id)).toEqual(first);
      expect(await store.list()).toHaveLength(1);
    });

    it('gives two concurrent creators of one digest the same stored digest', async () => {
      const store = await freshStore();
      const digest = makeDigest('2025-05-01T08:00:00.000Z');

      const [a, b] = await Promise.all([store.create(digest), store.create({ ...digest, subject: 'Rendered by a second run' })]);

      expect(a).toEqual(b);
      expect(await store.get(digest.id)).toEqual(a);
    });

    it('keeps a send’s content for its send, out of the archive and of `latest`', async () => {
      const store = await freshStore();
      const digest = makeDigest('2025-05-01T08:00:00.000Z');
      const content = { ...makeDigest('2025-05-02T08:00:00.000Z'), id: 'c-abc', kind: 'content' as const, format: 'full' as const };
      await store.create(digest);
      await store.create(content);
      expect(await store.get('c-abc')).toEqual(content);
      expect((await store.latest())?.id).toBe(digest.id);
      expect((await store.list()).map((d) => d.id)).toEqual([digest.id]);
    });

    it('returns undefined for an unknown id, and no latest digest when there is none', async () => {
      const store = await freshStore();

      expect(await store.get('2020-01-01')).toBeUndefined();
      expect(await store.latest()).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it('finds the digest with the newest cutoff, whatever the order of creation', async () => {
      const store = await freshStore();
      const [april, june, may] = ['2025-04-01T08:00:00.000Z', '2025-06-01T08:00:00.000Z', '2025-05-01T08:00:00.000Z'].map((cutoff) =>
        makeDigest(cutoff),
      );
      for (const digest of [april!, june!, may!]) await store.create(digest);

      expect(await store.latest()).toEqual(june);
    });

    it('lists every digest newest first, without bodies', async () => {
      const store = await freshStore();
      const digests = ['2025-03-01T08:00:00.000Z', '2025-01-01T08:00:00.000Z', '2025-02-01T08:00:00.000Z'].map((cutoff) =>
        makeDigest(cutoff),
      );
      for (const digest of digests) await store.create(digest);

      const listed = await store.list();

      expect(listed).toEqual([digests[0]!, digests[2]!, digests[1]!].map(summary));
    });
  });
}
