/**
 * What every PublishChunkStore does (functions/core/publish/fan-out-ports.ts), run against
 * DynamoPublishChunkStore on dynalite and the in-memory fake by tests/adapters/dynamo-publish-chunk-store.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { FannedOutPlan, PublishChunkStore, StoredChunkSpec } from '../../../functions/core/publish/fan-out-ports.js';
import type { ChunkResult } from '../../../functions/core/publish/full-context.js';

const specs: StoredChunkSpec[] = [
  { id: 'site-1', kind: 'site', pages: [{ page: 1, high: '2025-06-01T00:00:00.000Z|2025-06-01T00:00:00.000Z|a' }], newestPage: 2 },
  { id: 'open', kind: 'open', since: '2025-06-01T00:00:00.000Z|2025-06-01T00:00:00.000Z|a' },
  { id: 'tag-news-1', kind: 'tag', tag: 'news', pages: [{ page: 1, high: 'b' }], newestPage: 1 },
  { id: 'tops', kind: 'tops' },
  { id: 'sweep-1', kind: 'sweep', parts: [0, 2] },
  { id: 'sweep-2', kind: 'sweep', parts: [1] },
  { id: 'strays', kind: 'strays' },
];

const plan = (generation = 1): FannedOutPlan => ({
  runId: 'run-1',
  generation,
  now: '2025-06-01T12:00:00.000Z',
  rewrite: true,
  digest: true,
  markers: [{ slug: 'a', tags: ['news'], token: 't' }],
  leftOut: [],
  tags: ['news'],
  waves: [['site-1', 'open'], ['tag-news-1']],
  sweeps: ['sweep-1', 'sweep-2', 'strays'],
});

const result = (keys: string[]): ChunkResult => ({ written: keys, unchanged: 0, leftOut: [] });

export function describePublishChunkStoreContract(name: string, freshStore: () => Promise<PublishChunkStore>): void {
  describe(`${name} as PublishChunkStore`, () => {
    it('reads back a plan and each chunk it holds, and nothing of another generation', async () => {
      const store = await freshStore();
      await store.savePlan(plan(), specs);
      expect(await store.plan('run-1', 1)).toEqual(plan());
      expect(await store.spec('run-1', 1, 'tag-news-1')).toEqual(specs[2]);
      expect(await store.plan('run-1', 2)).toBeUndefined();
      expect(await store.spec('run-1', 1, 'nothing')).toBeUndefined();
    });

    it('says a wave landed once every chunk of it has, and again when a chunk lands twice', async () => {
      const store = await freshStore();
      await store.savePlan(plan(), specs);
      expect(await store.land('run-1', 1, 0, 'site-1', result(['articles/a/index.html']))).toEqual({ waveLanded: false });
      expect(await store.land('run-1', 1, 0, 'site-1', result(['articles/a/index.html']))).toEqual({ waveLanded: false });
      expect(await store.land('run-1', 1, 0, 'open', result(['sitemaps/articles-latest.xml']))).toEqual({ waveLanded: true });
      expect(await store.land('run-1', 1, 0, 'open', result(['sitemaps/articles-latest.xml']))).toEqual({ waveLanded: true });
      expect(await store.land('run-1', 1, 1, 'tag-news-1', result([]))).toEqual({ waveLanded: true });
      // After the plan's waves: the tops, then the sweeps.
      expect(await store.land('run-1', 1, 2, 'tops', result(['index.html']))).toEqual({ waveLanded: true });
      expect(await store.land('run-1', 1, 3, 'sweep-2', { ...result([]), deleted: ['gone.html'] })).toEqual({ waveLanded: false });
      const strayResult = { ...result([]), deleted: ['a'], counted: { written: 0, deleted: 3 } };
      expect(await store.land('run-1', 1, 3, 'strays', strayResult)).toEqual({ waveLanded: false });
      expect(await store.land('run-1', 1, 3, 'sweep-1', result([]))).toEqual({ waveLanded: true });
      const strays = (await store.chunks('run-1', 1)).find((record) => record.spec.id === 'strays');
      expect(strays).toMatchObject({ wave: 3, result: strayResult });
    });

    it('keeps what each chunk did, however many keys, and its failed tries', async () => {
      const store = await freshStore();
      await store.savePlan(plan(), specs);
      const many = Array.from({ length: 3_000 }, (_, i) => `articles/an-article-with-a-long-slug-${i}/index.html`);
      await store.failed('run-1', 1, 'site-1', 'killed');
      await store.land('run-1', 1, 0, 'site-1', result(many));
      const records = await store.chunks('run-1', 1);
      const site = records.find((record) => record.spec.id === 'site-1')!;
      expect(site).toMatchObject({ wave: 0, attempts: 2, lastError: 'killed' });
      expect(site.result?.written).toEqual(many);
      expect(records.map((record) => record.spec.id).sort()).toEqual([
        'open',
        'site-1',
        'strays',
        'sweep-1',
        'sweep-2',
        'tag-news-1',
        'tops',
      ]);
      expect(records.find((record) => record.spec.id === 'open')?.result).toBeUndefined();
    });

    it('keeps what landed when the same plan is saved again (a start re-run after a crash)', async () => {
      const store = await freshStore();
      await store.savePlan(plan(), specs);
      await store.land('run-1', 1, 0, 'site-1', result(['articles/a/index.html']));
      await store.savePlan(plan(), specs);
      const records = await store.chunks('run-1', 1);
      expect(records.find((record) => record.spec.id === 'site-1')?.result?.written).toEqual(['articles/a/index.html']);
    });
  });
}
