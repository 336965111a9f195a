import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../../functions/core/publish/ports.js';
import type { OutputObject } from '../../../functions/core/site.js';
import { makeArticle } from '../../support/factories.js';
import { runPublish } from '../../../functions/core/publish/run-publish.js';
import { publishHarness } from '../../support/publish-harness.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const SITE_OUTPUTS = ['index.html', 'feeds/index.html', 'feed.xml', 'atom.xml', 'feed.json'];
const tagOutputs = (tag: string) => [
  `tags/${tag}/index.html`,
  `tags/${tag}/feeds/index.html`,
  `tags/${tag}/feed.xml`,
  `tags/${tag}/atom.xml`,
  `tags/${tag}/feed.json`,
];

describe('runPublish', () => {
  it('publishes every output the first time, then writes nothing when nothing changed', async () => {
    const h = publishHarness();
    const a = makeArticle({ tags: ['news'] });
    await h.deps.articles.create(a);

    const first = await h.publish(NOW);
    expect(first.full).toBe(true);
    expect(first.written).toEqual(
      expect.arrayContaining([`articles/${a.slug}/index.html`, ...SITE_OUTPUTS, ...tagOutputs('news'), 'digests/index.html']),
    );
    expect(first.digest?.articles).toBe(1);
    const feedsBefore = await Promise.all(['feed.xml', 'atom.xml', 'feed.json'].map(h.text));

    const second = await h.publish(later(5));
    expect(second.full).toBe(false);
    expect(second.written).toEqual([]);
    expect(second.deleted).toEqual([]);
    expect(second.digest).toBeUndefined();
    expect(await Promise.all(['feed.xml', 'atom.xml', 'feed.json'].map(h.text))).toEqual(feedsBefore);
  });

  it('writes only what one new article touches: its page, its tags, the home page, the feeds and its digest', async () => {
    const h = publishHarness();
    for (const article of [makeArticle({ tags: ['news'] }), makeArticle({ tags: ['sport'] }), makeArticle({ tags: ['news', 'weather'] })]) {
      await h.deps.articles.create(article);
    }
    await h.publish(NOW);

    const added = makeArticle({ tags: ['weather'], published: later(1).toISOString(), updated: later(1).toISOString() });
    await h.deps.articles.create(added);
    const report = await h.publish(later(2));

    const digestId = report.digest!.id;
    expect([...report.written].sort()).toEqual(
      [
        `articles/${added.slug}/index.html`,
        ...tagOutputs('weather'),
        ...SITE_OUTPUTS,
        'sitemaps/articles-latest.xml',
        `digests/${digestId}/index.html`,
        'digests/index.html',
      ].sort(),
    );
    expect(report.digest?.articles).toBe(1);
  });

  it('writes the new article page before the feeds that link to it', async () => {
    const h = publishHarness();
    await h.deps.articles.create(makeArticle());
    const order: string[] = [];
    const recording: ObjectStore = {
      put: async (o: OutputObject) => {
        order.push(o.key);
        await h.deps.objects.put(o);
      },
      get: (k, c) => h.deps.objects.get(k, c),
      delete: (k) => h.deps.objects.delete(k),
      list: (p) => h.deps.objects.list(p),
    };
    await h.publish(NOW, { objects: recording });
    const lastPage = Math.max(...order.map((k, i) => (k.startsWith('articles/') ? i : -1)));
    const firstFeed = Math.min(...order.map((k, i) => (/feed\.(xml|json)$|atom\.xml$/.test(k) ? i : Infinity)));
    expect(lastPage).toBeLessThan(firstFeed);
  });

  it('deletes the page of a deleted article and the outputs of a tag left empty', async () => {
    const h = publishHarness();
    const kept = makeArticle({ tags: ['news'] });
    const gone = makeArticle({ tags: ['news', 'obituaries'] });
    await h.deps.articles.create(kept);
    await h.deps.articles.create(gone);
    await h.publish(NOW);

    await h.deps.articles.delete(gone.slug);
    const report = await h.publish(later(1));
    expect(report.deleted.sort()).toEqual([`articles/${gone.slug}/index.html`, ...tagOutputs('obituaries')].sort());
    expect(await h.text(`articles/${gone.slug}/index.html`)).toBeUndefined();
    expect(await h.text('feed.xml')).not.toContain(gone.slug);
    expect(await h.text(`articles/${kept.slug}/index.html`)).toContain(kept.title);
  });

  it('moves an article between tag feeds when its tags change', async () => {
    const h = publishHarness();
    const a = makeArticle({ tags: ['draft-policy'] });
    const b = makeArticle({ tags: ['draft-policy'] });
    await h.deps.articles.create(a);
    const stored = await h.deps.articles.create(b);
    await h.publish(NOW);

    await h.deps.articles.update({ ...b, tags: ['policy'] }, stored.version);
    await h.publish(later(1));
    expect(await h.text('tags/draft-policy/feed.xml')).not.toContain(b.slug);
    expect(await h.text('tags/policy/feed.xml')).toContain(b.slug);
  });

  it('keeps drafts and future articles off the site until they are due', async () => {
    const h = publishHarness();
    const draft = makeArticle({ draft: true });
    const scheduled = makeArticle({ published: later(30).toISOString(), updated: later(30).toISOString() });
    await h.deps.articles.create(makeArticle());
    await h.deps.articles.create(draft);
    await h.deps.articles.create(scheduled);

    await h.publish(NOW);
    expect(await h.text(`articles/${draft.slug}/index.html`)).toBeUndefined();
    expect(await h.text(`articles/${scheduled.slug}/index.html`)).toBeUndefined();
    expect(await h.text('feed.xml')).not.toContain(scheduled.slug);

    const due = await h.publish(later(31));
    expect(due.written).toContain(`articles/${scheduled.slug}/index.html`);
    expect(await h.text('feed.xml')).toContain(scheduled.slug);
    expect(await h.text(`articles/${draft.slug}/index.html`)).toBeUndefined();
  });

  it('finishes the work of a publish that crashed halfway when run again, without a second digest', async () => {
    const h = publishHarness();
    await h.deps.articles.create(makeArticle({ tags: ['news'] }));
    await h.publish(NOW);
    const added = [makeArticle({ tags: ['news'] }), makeArticle({ tags: ['sport'] })].map((a) => ({
      ...a,
      published: later(1).toISOString(),
      updated: later(1).toISOString(),
    }));
    for (const a of added) await h.deps.articles.create(a);

    let puts = 0;
    const crashing: ObjectStore = {
      put: async (o) => {
        if (++puts > 1) throw new Error('simulated crash');
        return h.deps.objects.put(o);
      },
      get: (k, c) => h.deps.objects.get(k, c),
      delete: (k) => h.deps.objects.delete(k),
      list: (p) => h.deps.objects.list(p),
    };
    await expect(h.publish(later(2), { objects: crashing })).rejects.toThrow('simulated crash');

    const rerun = await h.publish(later(3));
    expect(rerun.digest).toBeUndefined();
    for (const a of added) {
      expect(await h.text(`articles/${a.slug}/index.html`)).toContain(a.title);
      expect(await h.text('feed.json')).toContain(a.slug);
    }
    expect(await h.text(`tags/sport/feed.xml`)).toContain(added[1]!.slug);
    const digests = await h.deps.digests.list();
    expect(digests).toHaveLength(2);
    for (const d of digests) expect(await h.text(`digests/${d.id}/index.html`)).toBeDefined();
    expect(await h.publish(later(4))).toMatchObject({ written: [], deleted: [] });
  });

  it('writes the small outputs of many tags to the manifest two dozen at a time, not a tag at a time', async () => {
    const h = publishHarness();
    const tags = Array.from({ length: 40 }, (_, i) => `tag-${i}`);
    for (const tag of tags) await h.deps.articles.create(makeArticle({ tags: [tag] }));
    const writes: number[] = [];
    const put = h.deps.manifest.put.bind(h.deps.manifest);
    h.deps.manifest.put = (entries) => {
      if (entries.length > 0 && entries.every((e) => e.key.startsWith('tags/'))) writes.push(entries.length);
      return put(entries);
    };
    const report = await h.publish(NOW);
    expect(report.full).toBe(true);
    for (const tag of tags) expect(report.written).toEqual(expect.arrayContaining(tagOutputs(tag)));
    // Written 25 at a time, each group in its two phases (pages, then the feeds that link to them) and so three
    // manifest writes: 200 outputs in 24 writes, where a tag at a time took three writes a tag, 120.
    expect(writes.length).toBeLessThanOrEqual(3 * Math.ceil((tags.length * 5) / 25));
  });

  it('rebuilds everything when the site settings change', async () => {
    const h = publishHarness();
    await h.deps.articles.create(makeArticle());
    await h.publish(NOW);
    const renamed = publishHarness({ stores: h.stores, site: { ...h.deps.site, title: 'The Renamed Times' }, fingerprint: 'test-2' });
    const report = await renamed.publish(later(1));
    expect(report.full).toBe(true);
    expect(await renamed.text('index.html')).toContain('The Renamed Times');
    expect(await renamed.text('feed.xml')).toContain('The Renamed Times');
  });
});

describe('runPublish with a scheduled digest cadence', () => {
  it('makes no digest on an ordinary publish, and one digest of everything new on the scheduled one', async () => {
    const h = publishHarness();
    await h.deps.articles.create(makeArticle());
    await h.publish(NOW);
    const morning = makeArticle({ published: later(1).toISOString(), updated: later(1).toISOString() });
    const noon = makeArticle({ published: later(3).toISOString(), updated: later(3).toISOString() });

    await h.deps.articles.create(morning);
    const ordinary = await runPublishWith(h, later(2), { digest: false });
    expect(ordinary.digest).toBeUndefined();
    expect(ordinary.written).toContain(`articles/${morning.slug}/index.html`);

    await h.deps.articles.create(noon);
    await runPublishWith(h, later(4), { digest: false });
    const scheduled = await runPublishWith(h, later(5), { digest: true });
    const digest = await h.deps.digests.get(scheduled.digest!.id);
    expect(digest?.articleSlugs).toEqual([noon.slug, morning.slug]);
  });
});

function runPublishWith(h: ReturnType<typeof publishHarness>, now: Date, options: { digest: boolean }) {
  return runPublish(h.deps, { now, digest: options.digest, timer: () => performance.now() });
}

describe('runPublish and the digest it makes', () => {
  it('announces a digest made by a publish that crashed before announcing it, once, on the next publish', async () => {
    const announced: string[] = [];
    let failAnnouncement = true;
    const h = publishHarness({
      onDigestCreated: async (digest) => {
        if (failAnnouncement) throw new Error('queue unavailable');
        announced.push(digest.id);
      },
    });
    await h.deps.articles.create(makeArticle());
    await expect(h.publish(NOW)).rejects.toThrow('queue unavailable');
    failAnnouncement = false;

    const rerun = await h.publish(later(1));
    const [digest] = await h.deps.digests.list();
    expect(rerun.digest).toBeUndefined();
    expect(announced).toEqual([digest!.id]);

    await h.publish(later(2));
    expect(announced).toEqual([digest!.id]);
  });
});
