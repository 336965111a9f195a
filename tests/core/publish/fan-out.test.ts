/**
 * A full publish fanned out over chunks, played with an in-memory queue that a test drives: each
 * received message is carried out as a fresh invocation would, and a killed one comes back, as
 * SQS redelivers a message whose invocation died.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fannedOutRunHolding, handleChunkMessage, startPublish, type FanOutDeps } from '../../../functions/core/publish/fan-out.js';
import { wavesOf, type FannedOutPlan, type PublishChunkMessage } from '../../../functions/core/publish/fan-out-ports.js';
import { executePublishRun } from '../../../functions/core/publish/execute-run.js';
import { reconcileRuns } from '../../../functions/core/publish/reconcile-runs.js';
import type { ObjectStore, PublishRun } from '../../../functions/core/publish/ports.js';
import type { OutputObject } from '../../../functions/core/site.js';
import { createArticle } from '../../../functions/core/content/create-article.js';
import { makeArticle, makeSite } from '../../support/factories.js';
import { InMemoryObjectStore } from '../../support/fakes/object-store.js';
import { InMemoryPublishChunkStore } from '../../support/fakes/publish-chunk-store.js';
import { inMemoryPublishStores, publishHarness, type PublishStores } from '../../support/publish-harness.js';

class Killed extends Error {}

const START = Date.UTC(2025, 5, 1, 12, 0, 0);
const site = makeSite({ feedItemLimit: 5 });

async function storesWithArchive(count: number): Promise<PublishStores> {
  const stores = inMemoryPublishStores();
  for (let i = 0; i < count; i++) {
    const tags = [['news'], ['news', 'sport'], ['city']][i % 3]!;
    await stores.articles.create(
      makeArticle({ slug: `article-${i}`, tags, published: new Date(START - (count - i) * 3_600_000).toISOString() }),
    );
  }
  return stores;
}

/** Every object's headers and bytes, by key. */
async function bucket(objects: ObjectStore): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const { key } of objects.list()) {
    const object = await objects.get(key);
    if (!object || object === 'not-modified') continue;
    const whole = `${object.contentType}\n${object.cacheControl}\n${Buffer.from(object.body).toString('utf8')}`;
    found.set(key, createHash('sha256').update(whole).digest('base64url'));
  }
  return found;
}

const wavesOfIds = (plan: FannedOutPlan) => wavesOf(plan).flat();

const labelOf = (message: PublishChunkMessage) => ('chunk' in message ? message.chunk : 'finish');

/** A fanned-out publish of the stores, its messages received one at a time, in the order they were sent. */
function fannedOut(
  stores: PublishStores,
  objects: ObjectStore = stores.objects,
  onFinished?: FanOutDeps['onFinished'],
  more: Partial<FanOutDeps> = {},
) {
  const queue: PublishChunkMessage[] = [];
  const chunks = new InMemoryPublishChunkStore();
  const harness = publishHarness({ stores, site });
  const deps = (objectStore: ObjectStore): FanOutDeps => ({
    ...harness.deps,
    objects: objectStore,
    runs: stores.runs,
    chunks,
    chunkQueue: { send: async (messages) => void queue.push(...messages) },
    clock: () => new Date(START),
    chunkSizes: { sitePages: 2, tagPages: 2 },
    // An archive of 30 is swept in 3 chunks, as a million would be in 8.
    articlesPerSweep: 10,
    ...(onFinished ? { onFinished } : {}),
    ...more,
  });
  const run: PublishRun = { id: 'run-1', status: 'queued', requestedAt: new Date(START).toISOString(), full: true };
  return {
    queue,
    start: async () => {
      await stores.runs.create(run);
      await executePublishRun(run.id, {
        runs: stores.runs,
        now: () => new Date(START),
        publish: (r, progress, fanningOut) =>
          startPublish(deps(objects), r, { now: new Date(START), full: true, timer: () => 0, fanningOut, onProgress: progress }),
      });
    },
    receive: (message: PublishChunkMessage, objectStore: ObjectStore = objects) => handleChunkMessage(deps(objectStore), message),
    run: () => stores.runs.get(run.id),
  };
}

/** The object store as an invocation sees it that dies at its `at`-th write (writes in flight land). */
function dyingAt(objects: ObjectStore, at: number): ObjectStore {
  let writes = 0;
  return Object.assign(Object.create(objects) as ObjectStore, {
    put: async (object: OutputObject) => {
      if (++writes >= at) throw new Killed(`killed at write ${writes}`);
      return objects.put(object);
    },
  });
}

describe('a fanned-out full publish', () => {
  it('writes what a full publish in one process writes, byte for byte, and reports its chunks', async () => {
    const inOneProcess = await storesWithArchive(60);
    await publishHarness({ stores: inOneProcess, site }).publish(new Date(START), { full: true });

    const stores = await storesWithArchive(60);
    const publish = fannedOut(stores);
    await publish.start();
    let received = 0;
    for (let message = publish.queue.shift(); message; message = publish.queue.shift(), received++) await publish.receive(message);

    expect(await bucket(stores.objects)).toEqual(await bucket(inOneProcess.objects));
    const run = await publish.run();
    expect(run?.status).toBe('succeeded');
    // 12 closed site pages in chunks of 2, the open region, then the closed pages of news (8), sport (4) and city (4) in chunks of 2;
    // then the tops, and the sweeps of what nothing produced: one for each of the manifest's 3 parts, one for the bucket (asked to rewrite).
    expect(run?.report?.chunks).toEqual({ total: 6 + 1 + 4 + 2 + 2 + 1 + 3 + 1, generations: 1 });
    // …and the finish, which ends the run.
    expect(received).toBe(20 + 1);
  });

  it('cuts its end up: what links to everything, then the sweeps in chunks at once, then the finish', async () => {
    const stores = await storesWithArchive(30);
    await publishHarness({ stores, site }).publish(new Date(START - 60_000), { full: true });
    await stores.articles.delete('article-3');
    await stores.articles.clearChanges(await stores.articles.pendingChanges());
    await stores.objects.put({ key: 'stray/left-over.html', body: 'x', contentType: 'text/html', cacheControl: 'no-cache' });
    const publish = fannedOut(stores);
    await publish.start();

    const sent: string[][] = [];
    for (let message = publish.queue.shift(); message; message = publish.queue.shift()) {
      const before = publish.queue.length;
      await publish.receive(message);
      const queued = publish.queue.slice(before).map(labelOf);
      if (queued.length > 0) sent.push(queued);
    }

    expect(sent.slice(-3)).toEqual([['tops'], ['sweep-1', 'sweep-2', 'sweep-3', 'strays'], ['finish']]);
    expect(await stores.objects.get('articles/article-3/index.html')).toBeUndefined();
    expect(await stores.objects.get('stray/left-over.html')).toBeUndefined();
    const run = await publish.run();
    expect(run?.status).toBe('succeeded');
    expect(run?.report?.deleted).toEqual(['articles/article-3/index.html', 'stray/left-over.html']);
  });

  it('keeps its report bounded: each chunk lists a few of the keys it wrote or deleted and counts the rest; the CDN then drops everything', async () => {
    const stores = await storesWithArchive(30);
    await publishHarness({ stores, site }).publish(new Date(START - 60_000), { full: true });
    for (const slug of ['article-3', 'article-4', 'article-5', 'article-6']) await stores.articles.delete(slug);
    await stores.articles.clearChanges(await stores.articles.pendingChanges());
    const strays = Array.from({ length: 7 }, (_, i) => `stray/${i}.html`);
    for (const key of strays) await stores.objects.put({ key, body: key, contentType: 'text/html', cacheControl: 'no-cache' });
    const invalidated: Array<Parameters<NonNullable<FanOutDeps['invalidate']>>[0]> = [];
    const publish = fannedOut(stores, stores.objects, undefined, {
      keysListedPerChunk: 2,
      straysPerTry: 3,
      invalidate: async (changed) => void invalidated.push(changed),
    });
    await publish.start();
    for (let message = publish.queue.shift(); message; message = publish.queue.shift()) await publish.receive(message);

    const report = (await publish.run())!.report!;
    const inBucket: string[] = [];
    for await (const { key } of stores.objects.list()) inBucket.push(key);
    // Everything the site holds was written again (asked to rewrite); 4 article pages and 7 strays were deleted.
    expect(report.listed).toEqual({ written: inBucket.length, deleted: 4 + 7 });
    expect(report.written.length).toBeLessThan(inBucket.length);
    expect(report.deleted.length).toBeLessThan(11);
    expect(invalidated).toEqual([expect.objectContaining({ everything: true })]);
  });

  it('stops a sweep from deleting once its run has ended (the reconciler failed it, and another publish may have started)', async () => {
    const stores = await storesWithArchive(40);
    await publishHarness({ stores, site }).publish(new Date(START - 60_000), { full: true });
    const retracted = Array.from({ length: 24 }, (_, i) => `article-${i}`);
    for (const slug of retracted) await stores.articles.delete(slug);
    await stores.articles.clearChanges(await stores.articles.pendingChanges());
    // One sweep for the whole manifest: it goes on past the page the run ended at.
    const publish = fannedOut(stores, stores.objects, undefined, { articlesPerSweep: 1_000_000 });
    await publish.start();
    // Once the sweep's first page is deleted, the run is failed from outside.
    const endingTheRun = Object.assign(Object.create(stores.objects) as ObjectStore, {
      delete: async (keys: string[]) => {
        await stores.objects.delete(keys);
        const run = (await publish.run())!;
        await stores.runs.update({ ...run, status: 'failed', finishedAt: new Date(START).toISOString(), error: 'stopped' });
      },
    });

    const outcomes: string[] = [];
    for (let message = publish.queue.shift(); message; message = publish.queue.shift()) {
      const sweep = 'chunk' in message && message.chunk.startsWith('sweep-');
      outcomes.push(await publish.receive(message, sweep ? endingTheRun : stores.objects));
    }

    expect(outcomes.at(-1)).toBe('stale');
    const left = [];
    for (const slug of retracted) if (await stores.objects.get(`articles/${slug}/index.html`)) left.push(slug);
    // The page of keys deleted before the run ended is gone; the rest waits for the next publish.
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(retracted.length);
  });

  it('sweeps a bucket too large for one invocation in tries, each carrying on after the last key it saw', async () => {
    const stores = await storesWithArchive(30);
    const strays = Array.from({ length: 23 }, (_, i) => `stray/${String(i).padStart(2, '0')}.html`);
    for (const key of strays) await stores.objects.put({ key, body: key, contentType: 'text/html', cacheControl: 'no-cache' });
    const publish = fannedOut(stores, stores.objects, undefined, { straysPerTry: 10 });
    await publish.start();

    const tries: string[] = [];
    for (let message = publish.queue.shift(); message; message = publish.queue.shift()) {
      if ('chunk' in message && message.chunk === 'strays') tries.push(message.after ?? '(start)');
      await publish.receive(message);
    }

    expect((await publish.run())?.status).toBe('succeeded');
    for (const key of strays) expect(await stores.objects.get(key), key).toBeUndefined();
    // The bucket holds the site's objects besides the strays: more than 3 tries of 10.
    expect(tries.length).toBeGreaterThan(3);
    expect(tries[0]).toBe('(start)');
    expect([...tries.slice(1)].sort()).toEqual(tries.slice(1));
  });

  it('killed at any chunk and received again ends byte-identical to one never killed', async () => {
    const reference = await storesWithArchive(40);
    const uninterrupted = fannedOut(reference);
    await uninterrupted.start();
    for (let m = uninterrupted.queue.shift(); m; m = uninterrupted.queue.shift()) await uninterrupted.receive(m);
    const expected = await bucket(reference.objects);

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 12 }), async (killedMessage, killedAtWrite) => {
        const stores = await storesWithArchive(40);
        const publish = fannedOut(stores);
        await publish.start();
        let received = 0;
        for (let message = publish.queue.shift(); message; message = publish.queue.shift()) {
          if (received++ !== killedMessage) {
            await publish.receive(message);
            continue;
          }
          // A chunk with fewer writes than that lands; one killed comes back after its visibility timeout, behind what was queued.
          const died = await publish.receive(message, dyingAt(stores.objects, killedAtWrite)).then(
            () => false,
            (error: unknown) => {
              if (!(error instanceof Killed)) throw error;
              return true;
            },
          );
          if (died) publish.queue.push(message);
        }
        expect((await publish.run())?.status).toBe('succeeded');
        expect(await bucket(stores.objects)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('whose sweep dies once the bucket deleted what nothing produced leaves no claim on those pages: an article brought back gets its page again', async () => {
    const stores = await storesWithArchive(12);
    await publishHarness({ stores, site }).publish(new Date(START - 60_000), { full: true });
    const gone = await stores.articles.get('article-3');
    const page = 'articles/article-3/index.html';
    await stores.articles.delete('article-3');
    await stores.articles.clearChanges(await stores.articles.pendingChanges());

    const publish = fannedOut(stores);
    await publish.start();
    // The sweep's invocation dies right after the bucket's delete, and its message is never carried out again (dead-lettered).
    const deleteThenDie = async (keys: string[]) => {
      await stores.objects.delete(keys);
      throw new Killed('killed after the delete');
    };
    const dying = Object.assign(Object.create(stores.objects) as ObjectStore, { delete: deleteThenDie });
    let died = false;
    for (let message = publish.queue.shift(); message; message = publish.queue.shift()) {
      if (!('chunk' in message && message.chunk.startsWith('sweep-'))) {
        await publish.receive(message);
        continue;
      }
      const killed = await publish.receive(message, dying).then(
        () => false,
        (error: unknown) => {
          if (!(error instanceof Killed)) throw error;
          return true;
        },
      );
      died ||= killed;
    }
    expect(died).toBe(true);
    expect(await stores.objects.get(page)).toBeUndefined();

    await createArticle(stores.articles, { ...gone! }, new Date(START + 60_000));
    await publishHarness({ stores, site }).publish(new Date(START + 120_000));
    expect(await stores.objects.get(page)).toBeDefined();
  });

  it('deletes what nothing produced reading the manifest a page at a time, never whole, in one process as fanned out', async () => {
    for (const fanned of [false, true]) {
      const stores = await storesWithArchive(30);
      await publishHarness({ stores, site }).publish(new Date(START - 60_000), { full: true });
      await stores.articles.delete('article-3');
      await stores.articles.clearChanges(await stores.articles.pendingChanges());
      const whole = stores.manifest.all.bind(stores.manifest);
      stores.manifest.all = () => Promise.reject(new Error('the manifest was read whole'));

      if (fanned) {
        const publish = fannedOut(stores);
        await publish.start();
        for (let message = publish.queue.shift(); message; message = publish.queue.shift()) await publish.receive(message);
        expect((await publish.run())?.status).toBe('succeeded');
      } else await publishHarness({ stores, site }).publish(new Date(START), { full: true });

      expect(await stores.objects.get('articles/article-3/index.html')).toBeUndefined();
      expect((await whole()).has('articles/article-3/index.html')).toBe(false);
      expect(await stores.objects.get('articles/article-4/index.html')).toBeDefined();
    }
  });

  it('loses no page to a chunk received again while its finish deletes what nothing produced', async () => {
    const reference = await storesWithArchive(30);
    const uninterrupted = fannedOut(reference);
    await uninterrupted.start();
    for (let m = uninterrupted.queue.shift(); m; m = uninterrupted.queue.shift()) await uninterrupted.receive(m);
    const expected = await bucket(reference.objects);

    for (let again = 0; ; again++) {
      const stores = await storesWithArchive(30);
      const publish = fannedOut(stores);
      await publish.start();
      const chunks: Array<PublishChunkMessage & { chunk: string }> = [];
      for (let message = publish.queue.shift(); message; message = publish.queue.shift()) {
        if ('chunk' in message) chunks.push(message);
        // SQS delivers a chunk's message a second time, late: it runs beside the finish.
        if ('finish' in message) await Promise.all([publish.receive(message), publish.receive(chunks[again]!)]);
        else await publish.receive(message);
      }
      expect((await publish.run())?.status).toBe('succeeded');
      expect(await bucket(stores.objects), `chunk ${chunks[again]!.chunk} received again`).toEqual(expected);
      if (again === chunks.length - 1) break;
    }
  });

  it('never writes the home page, the site feeds or the sitemap index while a page they link to is missing', async () => {
    const stores = await storesWithArchive(60);
    const checked: string[] = [];
    const watching: ObjectStore = Object.assign(Object.create(stores.objects) as ObjectStore, {
      put: async (object: OutputObject) => {
        if (['index.html', 'feed.xml', 'atom.xml', 'feed.json', 'sitemap.xml'].includes(object.key)) {
          for (const key of linkedKeys(object.body)) expect(await stores.objects.get(key), `${object.key} links to ${key}`).toBeDefined();
          checked.push(object.key);
        }
        return stores.objects.put(object);
      },
    });
    const publish = fannedOut(stores, watching);
    await publish.start();
    for (let message = publish.queue.shift(); message; message = publish.queue.shift()) await publish.receive(message);
    expect(checked.sort()).toEqual(['atom.xml', 'feed.json', 'feed.xml', 'index.html', 'sitemap.xml']);
  });

  it('holds the site while its chunks are under way: a publish asked for meanwhile stays queued, and is handed to the stream again once it ends', async () => {
    const stores = await storesWithArchive(20);
    const publish = fannedOut(stores);
    await publish.start();
    const waiting: PublishRun = { id: 'run-2', status: 'queued', requestedAt: new Date(START + 1_000).toISOString() };
    await stores.runs.create(waiting);
    let started = false;
    const execute = () =>
      executePublishRun(waiting.id, {
        runs: stores.runs,
        now: () => new Date(START),
        heldBy: (runId) => fannedOutRunHolding(stores.runs, runId),
        publish: async () => {
          started = true;
          return publishHarness({ stores, site }).publish(new Date(START + 2_000));
        },
      });

    expect(await execute()).toBeUndefined();
    expect(started).toBe(false);
    expect((await stores.runs.get(waiting.id))?.status).toBe('queued');

    for (let message = publish.queue.shift(); message; message = publish.queue.shift()) await publish.receive(message);
    expect(stores.runs.redriven).toEqual([waiting.id]);
    await execute();
    expect(started).toBe(true);
    expect((await stores.runs.get(waiting.id))?.status).toBe('succeeded');
  });

  it('tells what follows a publish (a scheduled digest’s send) once its finish has made the digest, not when its start returns', async () => {
    const stores = await storesWithArchive(20);
    const told: Array<string | undefined> = [];
    const publish = fannedOut(stores, stores.objects, async () => void told.push((await stores.digests.latest())?.id));
    await publish.start();
    expect(told).toEqual([]);
    for (let message = publish.queue.shift(); message; message = publish.queue.shift()) await publish.receive(message);
    expect(told).toHaveLength(1);
    expect(told[0]).toBe((await stores.digests.latest())?.id);
    expect(told[0]).toBeDefined();
  });

  it('started by an invocation killed while it planned the chunks, holds nothing: the next schedule ends it as a run left behind, and the publish after it runs', async () => {
    const stores = await storesWithArchive(20);
    let dead = false;
    const killed = () => {
      dead = true;
      throw new Killed('the start was killed while it planned the chunks');
    };
    // A dead process writes nothing more: not even the run's failure.
    const runs = Object.assign(Object.create(stores.runs) as typeof stores.runs, {
      update: async (run: PublishRun) => (dead ? killed() : stores.runs.update(run)),
    });
    const chunks = Object.assign(Object.create(new InMemoryPublishChunkStore()) as InMemoryPublishChunkStore, { savePlan: killed });
    const deps: FanOutDeps = {
      ...publishHarness({ stores, site }).deps,
      runs,
      chunks,
      chunkQueue: { send: async () => {} },
      clock: () => new Date(START),
      chunkSizes: { sitePages: 2, tagPages: 2 },
    };
    await stores.runs.create({ id: 'run-1', status: 'queued', requestedAt: new Date(START).toISOString(), full: true });
    await expect(
      executePublishRun('run-1', {
        runs,
        now: () => new Date(START),
        publish: (run, progress, fanningOut) =>
          startPublish(deps, run, { now: new Date(START), full: true, timer: () => 0, fanningOut, onProgress: progress }),
      }),
    ).rejects.toBeInstanceOf(Killed);
    expect(await stores.runs.get('run-1')).toMatchObject({ status: 'running' });

    // The next schedule: the publish function runs one invocation at a time, so a run still running was left behind.
    const ended = await reconcileRuns(
      { runs: stores.runs, start: async () => {}, now: () => new Date(START + 60_000) },
      { queuedForMs: 60_000, runningForMs: 0 },
    );
    expect(ended.failed).toEqual(['run-1']);
    expect(await fannedOutRunHolding(stores.runs, 'run-2')).toBeUndefined();
  });

  it('takes no more work for a generation planned over: a late copy of its chunk would stamp pages the next one sweeps', async () => {
    const stores = await storesWithArchive(20);
    const chunks = new InMemoryPublishChunkStore();
    const publish = fannedOut(stores, stores.objects, undefined, { chunks });
    await publish.start();
    const first = publish.queue.shift()!;
    const plan = (await chunks.plan(first.runId, 1))!;
    const specs = await Promise.all(wavesOfIds(plan).map((id) => chunks.spec(first.runId, 1, id)));
    // The next generation, as a chunk's gate that left an article out would have planned it.
    await chunks.savePlan(
      { ...plan, generation: 2 },
      specs.map((spec) => spec!),
    );
    const objects = new InMemoryObjectStore();

    expect(await publish.receive(first, objects)).toBe('stale');
    expect(await bucket(objects)).toEqual(new Map());
  });

  it('planned by the release before a deploy, ends its run as failed at its next message, writing and deleting nothing, so the next publish starts over', async () => {
    const stores = await storesWithArchive(20);
    await publishHarness({ stores, site }).publish(new Date(START - 60_000), { full: true });
    const before = await bucket(stores.objects);
    const chunks = new InMemoryPublishChunkStore();
    const publish = fannedOut(stores, stores.objects, undefined, { chunks });
    await publish.start();
    const first = publish.queue.shift()!;
    // The plan as the earlier release stored it: its waves, and no sweeps (its finish swept).
    const { sweeps: _sweeps, ...earlier } = (await chunks.plan(first.runId, 1))!;
    const older = Object.assign(Object.create(chunks) as InMemoryPublishChunkStore, {
      plan: async (_runId: string, generation: number) => (generation === 1 ? (earlier as FannedOutPlan) : undefined),
    });
    const afterDeploy = fannedOut(stores, stores.objects, undefined, { chunks: older });

    expect(await afterDeploy.receive(first)).toBe('stale');
    expect(await publish.run()).toMatchObject({ status: 'failed', error: expect.stringMatching(/earlier release/) });
    expect(await bucket(stores.objects)).toEqual(before);
  });

  it('takes no more work once its run has ended', async () => {
    const stores = await storesWithArchive(20);
    const publish = fannedOut(stores);
    await publish.start();
    const run = (await publish.run())!;
    await stores.runs.update({ ...run, status: 'failed', finishedAt: new Date(START).toISOString(), error: 'stopped' });
    const objects = new InMemoryObjectStore();
    for (let message = publish.queue.shift(); message; message = publish.queue.shift())
      expect(await publish.receive(message, objects)).toBe('stale');
    expect(await bucket(objects)).toEqual(new Map());
  });
});

/** The bucket keys of the site's own pages an object links to (pages, feeds, archive pages, sitemaps). */
function linkedKeys(body: string): string[] {
  const base = site.baseUrl;
  const keys = new Set<string>();
  for (const match of body.matchAll(/(?:href|src)="([^"]+)"|<loc>([^<]+)<\/loc>|"url":\s*"([^"]+)"/g)) {
    const url = match[1] ?? match[2] ?? match[3];
    if (!url?.startsWith(base)) continue;
    const path = url.slice(base.length).split(/[?#]/)[0]!;
    if (!/^(articles|tags|archive|digests|sitemap)/.test(path)) continue;
    keys.add(path.endsWith('/') || path === '' ? `${path}index.html` : path);
  }
  return [...keys];
}
