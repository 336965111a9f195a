import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import type { ObjectStore } from '../../../functions/core/publish/ports.js';
import type { OutputObject } from '../../../functions/core/site.js';
import { makeArticle, makeSite } from '../../support/factories.js';
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
  it('leaves out an article that would break a rule, names it and the rule in the report, and publishes the rest', async () => {
    const h = publishHarness();
    await h.deps.articles.create(makeArticle({ slug: 'fine' }));
    // Stored as-is by an older version, say: an edit dated years after the publish.
    await h.deps.articles.create(makeArticle({ slug: 'time-traveller', updated: '2031-01-01T00:00:00.000Z' }));

    const report = await h.publish(NOW);

    expect(report.leftOut).toEqual([
      { slug: 'time-traveller', reason: expect.stringMatching(/updated "2031-01-01T00:00:00.000Z" is after the publish/) },
    ]);
    expect(report.written).toEqual(expect.arrayContaining(['articles/fine/index.html', 'feed.xml']));
    expect(report.written).not.toContain('articles/time-traveller/index.html');
    for (const feed of ['feed.xml', 'atom.xml', 'feed.json']) {
      expect(await h.text(feed)).toContain('articles/fine/');
      expect(await h.text(feed)).not.toContain('time-traveller');
    }
  });

  it('leaves out an article the gate itself catches, with the rule it breaks', async () => {
    const h = publishHarness();
    await h.deps.articles.create(makeArticle({ slug: 'fine' }));
    // A relative image in stored content: content is made absolute when written, so only old data has one.
    await h.deps.articles.create(makeArticle({ slug: 'relative', html: '<p><img src="/cover.jpg" alt="Cover"></p>' }));

    const report = await h.publish(NOW);

    expect(report.leftOut).toEqual([{ slug: 'relative', reason: expect.stringMatching(/^breaks absolute-url: /) }]);
    expect(await h.text('feed.xml')).not.toContain('/cover.jpg');
  });

  it('publishes the article once it is fixed', async () => {
    const h = publishHarness();
    const bad = makeArticle({ slug: 'time-traveller', updated: '2031-01-01T00:00:00.000Z' });
    await h.deps.articles.create(bad);
    expect((await h.publish(NOW)).leftOut).toHaveLength(1);

    await h.deps.articles.update({ ...bad, updated: bad.published }, 1);
    const report = await h.publish(NOW);

    expect(report.leftOut).toBeUndefined();
    expect(report.written).toEqual(expect.arrayContaining(['feed.xml', 'articles/time-traveller/index.html']));
  });

  it('writes nothing when what breaks the feeds is no article, and says what', async () => {
    const h = publishHarness({ site: makeSite({ language: 'not a language' }) });
    await h.deps.articles.create(makeArticle({ slug: 'fine' }));
    const { store, puts } = recording(h.deps.objects);

    const failure = await h.publish(NOW, { objects: store }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PressrunError);
    expect((failure as PressrunError).problems.map((p) => p.field)).toContain('site.language');
    expect(puts).toEqual([]);
  });
});
