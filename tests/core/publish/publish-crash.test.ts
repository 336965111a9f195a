/**
 * A publish killed at any point, then one publish after the restart: the site must be exactly
 * what a fresh full publish of the store would write, byte for byte, with nothing more. The
 * kill is played by stores that refuse every write from the Nth on (a dead process writes
 * nothing more; writes already in flight land, as S3 PUTs do).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/core/article.js';
import { createArticle } from '../../../functions/core/content/create-article.js';
import type { ManifestStore, ObjectStore } from '../../../functions/core/publish/ports.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { InMemoryManifestStore } from '../../support/fakes/manifest-store.js';
import { InMemoryObjectStore } from '../../support/fakes/object-store.js';
import { InMemoryPublishRunStore } from '../../support/fakes/publish-run-store.js';
import { inMemoryPublishStores, publishHarness, type PublishStores } from '../../support/publish-harness.js';

class Killed extends Error {}

/** The stores as a process sees them that dies at its `at`-th write (or, with `afterPutOf`, right after writing that object). */
function dyingAt(stores: PublishStores, at: number, afterPutOf?: string): PublishStores {
  let writes = 0;
  let dead = false;
  const write = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => {
    return async (...args: A): Promise<R> => {
      if (dead || ++writes >= at) throw new Killed(`killed at write ${writes}`);
      return f(...args);
    };
  };
  const putThenMaybeDie = write(async (object: Parameters<ObjectStore['put']>[0]) => {
    await stores.objects.put(object);
    if (object.key === afterPutOf) dead = true;
  });
  const objects: ObjectStore = Object.assign(Object.create(stores.objects) as ObjectStore, {
    put: putThenMaybeDie,
    delete: write(stores.objects.delete.bind(stores.objects)),
  });
  const manifest: ManifestStore = Object.assign(Object.create(stores.manifest) as ManifestStore, {
    put: write(stores.manifest.put.bind(stores.manifest)),
    delete: write(stores.manifest.delete.bind(stores.manifest)),
  });
  const articles = Object.assign(Object.create(stores.articles) as typeof stores.articles, {
    clearChanges: write(stores.articles.clearChanges.bind(stores.articles)),
  });
  const runs = Object.assign(Object.create(stores.runs) as typeof stores.runs, {
    setLastSucceededAt: write(stores.runs.setLastSucceededAt.bind(stores.runs)),
  });
  return { ...stores, objects: objects as InMemoryObjectStore, manifest: manifest as InMemoryManifestStore, articles, runs };
}

async function bucket(objects: ObjectStore): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const { key } of objects.list()) {
    const object = await objects.get(key);
    if (!object || object === 'not-modified') continue;
    // A digest of each object's headers and bytes: a difference names the key without pages of HTML.
    const whole = `${object.contentType}\n${object.cacheControl}\n${Buffer.from(object.body).toString('utf8')}`;
    found.set(key, createHash('sha256').update(whole).digest('base64url'));
  }
  return found;
}

const START = Date.UTC(2025, 5, 1, 12, 0, 0);
type Step = { change: 'embargo' | 'revert' | 'add' | 'remove' | 'retitle' | 'restore-title' | 'none'; killAt: number | null };

const steps = fc.array(
  fc.record({
    change: fc.constantFrom<Step['change']>('embargo', 'revert', 'add', 'remove', 'retitle', 'restore-title', 'none'),
    killAt: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null, freq: 3 }),
  }),
  { minLength: 1, maxLength: 4 },
);

describe('an embargoed edit', () => {
  it('killed once its page is written, then reverted, is taken off the site by the next publish', async () => {
    const stores = inMemoryPublishStores();
    const original = makeArticle({ tags: ['news'] });
    await stores.articles.create(original);
    await publishHarness({ stores }).publish(new Date(START));
    const page = `articles/${original.slug}/index.html`;

    const edited = await stores.articles.get(original.slug);
    await stores.articles.update({ ...edited!, html: '<p>EMBARGOED until Friday</p>', text: 'EMBARGOED until Friday' }, edited!.version);
    // Killed right after the page is written, before anything else.
    const dying = publishHarness({ stores: dyingAt(stores, Infinity, page), concurrency: 1 });
    await expect(dying.publish(new Date(START + 60_000))).rejects.toBeInstanceOf(Killed);
    expect(await dying.text(page)).toContain('EMBARGOED');

    const now = await stores.articles.get(original.slug);
    await stores.articles.update({ ...original }, now!.version);
    await publishHarness({ stores }).publish(new Date(START + 120_000));
    expect(await publishHarness({ stores }).text(page)).not.toContain('EMBARGOED');
  });
});

describe('a removed article', () => {
  it('killed once the bucket deleted its page, then brought back unchanged, has its page again after the next publish', async () => {
    const stores = inMemoryPublishStores();
    const original = makeArticle({ tags: ['news'] });
    await stores.articles.create(original);
    await publishHarness({ stores }).publish(new Date(START));
    const page = `articles/${original.slug}/index.html`;

    await stores.articles.delete(original.slug);
    // Killed right after the bucket deleted what went away, before the manifest heard of it.
    const deleteThenDie = async (keys: string[]) => {
      await stores.objects.delete(keys);
      throw new Killed('killed after the delete');
    };
    const objects = Object.assign(Object.create(stores.objects) as InMemoryObjectStore, { delete: deleteThenDie });
    await expect(publishHarness({ stores: { ...stores, objects } }).publish(new Date(START + 60_000))).rejects.toBeInstanceOf(Killed);
    expect(await stores.objects.get(page)).toBeUndefined();

    // Brought back as it was (an undo, an import of the same file): the same page as before.
    await createArticle(stores.articles, { ...original }, new Date(START + 120_000));
    await publishHarness({ stores }).publish(new Date(START + 180_000));
    expect(await stores.objects.get(page)).toBeDefined();
  });
});

describe('a full publish asked for', () => {
  it('makes every object right whatever the manifest says: rewrites what differs, deletes what nothing claims', async () => {
    const stores = inMemoryPublishStores();
    await stores.articles.create(makeArticle({ tags: ['news'] }));
    const h = publishHarness({ stores });
    await h.publish(new Date(START));
    const reference = await bucket(stores.objects);
    // Behind the manifest's back: an object changed, one deleted, one left over.
    await stores.objects.put({ key: 'feed.xml', body: 'stale', contentType: 'application/rss+xml', cacheControl: 'no-cache' });
    await stores.objects.delete(['index.html']);
    await stores.objects.put({ key: 'articles/gone/index.html', body: 'old', contentType: 'text/html', cacheControl: 'no-cache' });

    const report = await h.publish(new Date(START), { full: true });

    expect(report.deleted).toEqual(['articles/gone/index.html']);
    expect(await bucket(stores.objects)).toEqual(reference);
  });
});

describe('a publish killed at any point', () => {
  it('is repaired by the next publish: the bucket equals a fresh full publish of the store, and holds nothing more', async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (plan) => {
        const stores = inMemoryPublishStores();
        let clock = START;
        const tick = () => new Date((clock += 60_000));
        let title = 'Example News';
        const harness = () => publishHarness({ stores, site: makeSite({ title }), fingerprint: `title:${title}` });
        const originals: Article[] = [];
        for (const tag of ['news', 'news', 'sport', 'city']) {
          const article = makeArticle({ tags: [tag], published: new Date(clock - 3_600_000).toISOString() });
          originals.push(article);
          await stores.articles.create(article);
        }
        await harness().publish(tick());

        for (const step of plan) {
          await change(stores, step.change, originals, tick);
          if (step.change === 'retitle') title = 'Example News, Renamed';
          if (step.change === 'restore-title') title = 'Example News';
          const h = publishHarness({
            stores: step.killAt ? dyingAt(stores, step.killAt) : stores,
            site: makeSite({ title }),
            fingerprint: `title:${title}`,
          });
          await h.publish(tick()).catch((error: unknown) => {
            if (!(error instanceof Killed)) throw error;
          });
        }

        // The restart: one publish, then the reference, a full publish of the same store into an empty bucket.
        const at = tick();
        await harness().publish(at);
        const fresh = {
          ...stores,
          objects: new InMemoryObjectStore(),
          manifest: new InMemoryManifestStore(),
          runs: new InMemoryPublishRunStore(),
        };
        await publishHarness({ stores: fresh, site: makeSite({ title }), fingerprint: `title:${title}` }).publish(at);
        expect(await bucket(stores.objects)).toEqual(await bucket(fresh.objects));
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});

async function change(stores: PublishStores, what: Step['change'], originals: Article[], tick: () => Date): Promise<void> {
  const first = originals[0]!;
  const current = await stores.articles.get(first.slug);
  if (what === 'embargo' && current)
    await stores.articles.update(
      { ...current, title: 'EMBARGOED until Friday', html: '<p>EMBARGOED</p>', text: 'EMBARGOED' },
      current.version,
    );
  if (what === 'revert' && current) await stores.articles.update({ ...first }, current.version);
  if (what === 'add') await stores.articles.create(makeArticle({ tags: ['news'], published: tick().toISOString() }));
  if (what === 'remove' && current) await stores.articles.delete(first.slug);
  // Brought back as the import or the API would: a new article on the old slug, with a new id.
  if (what === 'revert' && !current) await createArticle(stores.articles, { ...first }, tick());
}
