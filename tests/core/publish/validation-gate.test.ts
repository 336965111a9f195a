import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import type { ObjectStore } from '../../../functions/core/publish/ports.js';
import type { OutputObject } from '../../../functions/core/site.js';
import { makeArticle } from '../../support/factories.js';
import { publishHarness } from '../../support/publish-harness.js';

const NOW = new Date('2025-06-01T12:00:00Z');

function recording(store: ObjectStore): { store: ObjectStore; puts: string[] } {
  const puts: string[] = [];
  return {
    puts,
    store: {
      ...store,
      get: (k, c) => store.get(k, c),
      delete: (k) => store.delete(k),
      list: (p) => store.list(p),
      put: async (o: OutputObject) => void puts.push(o.key),
    },
  };
}

describe('the validation gate of a publish', () => {
  it('writes nothing and names the feed, the article and the rule when a feed would break one', async () => {
    const h = publishHarness();
    await h.deps.articles.create(makeArticle({ slug: 'fine' }));
    // Stored as-is by an older version, say: an edit dated years after the publish.
    await h.deps.articles.create(makeArticle({ slug: 'time-traveller', updated: '2031-01-01T00:00:00.000Z' }));
    const { store, puts } = recording(h.deps.objects);

    const failure = await h.publish(NOW, { objects: store }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PressrunError);
    expect((failure as PressrunError).message).toMatch(/would break plausible-date in article "time-traveller"/);
    expect((failure as PressrunError).problems.map((p) => p.field)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^feeds\.feed\.xml\./), expect.stringMatching(/^feeds\.atom\.xml\./)]),
    );
    expect(puts).toEqual([]);
  });

  it('publishes once the article is fixed, since the failed publish kept its change markers', async () => {
    const h = publishHarness();
    const bad = makeArticle({ slug: 'time-traveller', updated: '2031-01-01T00:00:00.000Z' });
    await h.deps.articles.create(bad);
    await expect(h.publish(NOW)).rejects.toThrow(PressrunError);

    await h.deps.articles.update({ ...bad, updated: bad.published }, 1);
    const report = await h.publish(NOW);

    expect(report.written).toEqual(expect.arrayContaining(['feed.xml', 'articles/time-traveller/index.html']));
  });
});
