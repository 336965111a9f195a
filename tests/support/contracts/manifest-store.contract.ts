/**
 * What every ManifestStore does (functions/core/publish/ports.ts), run against DynamoManifestStore
 * on dynalite and against the in-memory fake by tests/adapters/manifest-store.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ManifestEntry, ManifestStore } from '../../../functions/core/publish/ports.js';

/** More entries than one DynamoDB BatchGetItem (100) or BatchWriteItem (25) call takes. */
function makeEntries(count: number, version = 'v1'): ManifestEntry[] {
  return Array.from({ length: count }, (_, i) => ({ key: `articles/article-${i}/index.html`, value: `sha256:${version}-${i}` }));
}

/** @param freshStore an empty store of its own for every test. */
export function describeManifestStoreContract(name: string, freshStore: () => Promise<ManifestStore>): void {
  describe(`${name} as a ManifestStore`, () => {
    it('stores 260 entries and returns them all', async () => {
      const store = await freshStore();
      const entries = makeEntries(260);

      await store.put(entries);

      expect(await store.all()).toEqual(new Map(entries.map((entry) => [entry.key, entry.value])));
    });

    it('returns the hashes of the keys asked for, leaving out unknown keys', async () => {
      const store = await freshStore();
      const entries = makeEntries(260);
      await store.put(entries);
      const wanted = entries.filter((_, i) => i % 2 === 0);

      const found = await store.get([...wanted.map((entry) => entry.key), 'feed.xml', wanted[0]!.key]);

      expect(found).toEqual(new Map(wanted.map((entry) => [entry.key, entry.value])));
    });

    it('replaces hashes of keys written again, keeping the last one given for a repeated key', async () => {
      const store = await freshStore();
      await store.put(makeEntries(30));

      await store.put([...makeEntries(10, 'v2'), { key: 'articles/article-0/index.html', value: 'sha256:last' }]);

      const all = await store.all();
      expect(all.size).toBe(30);
      expect(all.get('articles/article-0/index.html')).toBe('sha256:last');
      expect(all.get('articles/article-9/index.html')).toBe('sha256:v2-9');
      expect(all.get('articles/article-10/index.html')).toBe('sha256:v1-10');
    });

    it('deletes the keys given and nothing else, ignoring unknown keys', async () => {
      const store = await freshStore();
      const entries = makeEntries(260);
      await store.put(entries);
      const [gone, kept] = [entries.slice(0, 130), entries.slice(130)];

      await store.delete([...gone.map((entry) => entry.key), 'never/stored.html']);

      expect(await store.all()).toEqual(new Map(kept.map((entry) => [entry.key, entry.value])));
    });

    it('keeps object keys with any characters apart', async () => {
      const store = await freshStore();
      const odd = [
        'tags/c#/feed.xml',
        'articles/caf\u00e9 au lait/index.html',
        'a:b',
        'k:k:k',
        'pk',
        'sk',
        'x.y[0]',
        '\u{1F4F0}/index.html',
      ];
      await store.put(odd.map((key, i) => ({ key, value: `h${i}` })));
      expect(await store.get(odd)).toEqual(new Map(odd.map((key, i) => [key, `h${i}`])));
      await store.delete(['pk', 'x.y[0]']);
      expect([...(await store.all()).keys()].sort()).toEqual(odd.filter((k) => k !== 'pk' && k !== 'x.y[0]').sort());
    });

    it('keeps the stamp an entry was written with, until it is written again', async () => {
      const store = await freshStore();
      await store.put([
        { key: 'index.html', value: 'h1', stamp: 'run-1' },
        { key: 'feed.xml', value: 'h2' },
        { key: 'atom.xml', value: 'h3', stamp: 'run-1' },
      ]);

      await store.put([{ key: 'atom.xml', value: 'h3' }]);

      expect(await store.stamps(['index.html', 'feed.xml', 'atom.xml', 'never.html'])).toEqual(
        new Map([
          ['index.html', 'run-1'],
          ['feed.xml', undefined],
          ['atom.xml', undefined],
        ]),
      );
    });

    it('lists, part by part, every key that does not carry a stamp: none, or another', async () => {
      const store = await freshStore();
      const entries = makeEntries(260);
      await store.put(entries.map((entry, i) => ({ ...entry, ...(i % 3 === 0 ? {} : { stamp: i % 3 === 1 ? 'run-2' : 'run-1' }) })));

      const pages: string[][] = [];
      for (let part = 0; part < store.parts; part++) for await (const page of store.unstamped(part, 'run-2')) pages.push(page);

      const listed = pages.flat();
      expect(listed.sort()).toEqual(
        entries
          .filter((_, i) => i % 3 !== 1)
          .map((entry) => entry.key)
          .sort(),
      );
      expect(new Set(listed).size).toBe(listed.length);
    });

    it('lists a part to its end while the keys it listed are deleted', async () => {
      const store = await freshStore();
      const entries = makeEntries(260);
      await store.put(entries);

      const listed: string[] = [];
      for (let part = 0; part < store.parts; part++)
        for await (const page of store.unstamped(part, 'run-1')) {
          listed.push(...page);
          await store.delete(page);
        }

      expect(listed.sort()).toEqual(entries.map((entry) => entry.key).sort());
      expect(await store.all()).toEqual(new Map());
    });

    it('does nothing for empty requests', async () => {
      const store = await freshStore();

      await store.put([]);
      await store.delete([]);

      expect(await store.get([])).toEqual(new Map());
      expect(await store.stamps([])).toEqual(new Map());
      expect(await store.all()).toEqual(new Map());
    });
  });
}
