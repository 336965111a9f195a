/** The publish use case's invalidation hook: told exactly what changed, once it is all in place. */
import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../support/factories.js';
import { publishHarness } from '../../support/publish-harness.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

function recordingHarness() {
  const calls: Array<{ written: string[]; deleted: string[]; presentAtCall: Array<string | undefined> }> = [];
  const h = publishHarness({
    invalidate: async (changed) => {
      // What a CDN would fetch on its next miss must already be in the bucket.
      calls.push({ ...changed, presentAtCall: await Promise.all(changed.written.map((key) => h.text(key))) });
    },
  });
  return { h, calls };
}

describe('runPublish with an invalidation hook', () => {
  it('passes every key the publish wrote, after writing them all', async () => {
    const { h, calls } = recordingHarness();
    await h.deps.articles.create(makeArticle());
    const report = await h.publish(NOW);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.written).toEqual(report.written);
    expect(calls[0]!.deleted).toEqual([]);
    expect(calls[0]!.presentAtCall.every((body) => body !== undefined)).toBe(true);
  });

  it('is not called when nothing changed', async () => {
    const { h, calls } = recordingHarness();
    await h.deps.articles.create(makeArticle());
    await h.publish(NOW);
    await h.publish(later(5));
    expect(calls).toHaveLength(1);
  });

  it('passes the keys a publish deleted', async () => {
    const { h, calls } = recordingHarness();
    const gone = makeArticle({ tags: ['news'] });
    await h.deps.articles.create(makeArticle({ tags: ['news'] }));
    await h.deps.articles.create(gone);
    await h.publish(NOW);
    await h.deps.articles.delete(gone.slug);
    const report = await h.publish(later(1));
    expect(calls.at(-1)).toMatchObject({ written: report.written, deleted: [`articles/${gone.slug}/index.html`] });
  });
});
