/**
 * Publishing on `npm start` without asking: what the API writes and what comes due appears
 * on the site, and a bad file is told once.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApp, type LocalApp } from '../../functions/local/local-app.js';
import { LocalPublisher } from '../../functions/local/local-publisher.js';
import { startLocalStack, type LocalStack } from '../../functions/wiring/local.js';
import { makeSite } from '../support/factories.js';
import { InMemoryArticleStore } from '../support/fakes/article-store.js';
import { InMemoryPublishRunStore } from '../support/fakes/publish-run-store.js';

let dataDir: string;
let contentDir: string;
let stack: LocalStack;
let local: LocalApp;
const lines: string[] = [];

const TOKEN = 'local-test-token';
const writeArticle = (article: Record<string, unknown>) =>
  local.app.request('/api/articles', {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(article),
  });

/** Polls the page until it answers 200, as a reader reloading it would; false after `ms`. */
async function appears(path: string, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if ((await local.app.request(path)).status === 200) return true;
  }
  return false;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressrun-local-publisher-'));
  contentDir = join(dataDir, 'content');
  await mkdir(contentDir);
  stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_API_TOKEN: TOKEN }, port: 8787 });
  local = createLocalApp(stack, { contentDir, quietMs: 100, log: (line) => lines.push(line) });
  await local.publisher.publishNow();
});
afterAll(async () => {
  await local.publisher.close();
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local server publishes by itself', () => {
  it('an article written through the API, without a POST /api/publish', async () => {
    const response = await writeArticle({ title: 'Written through the API', slug: 'written-through-the-api', body: 'Text.' });
    expect(response.status).toBe(201);
    expect(await appears('/articles/written-through-the-api/', 10_000)).toBe(true);
  });

  it('an article dated a moment ahead, once its time comes', async () => {
    const published = new Date(Date.now() + 2_000).toISOString();
    expect((await writeArticle({ title: 'Embargoed until soon', slug: 'embargoed-until-soon', body: 'Text.', published })).status).toBe(
      201,
    );
    // The write's own publish comes before the article's time: it is not on the site yet.
    await new Promise((r) => setTimeout(r, 600));
    await local.publisher.idle();
    expect((await local.app.request('/articles/embargoed-until-soon/')).status).toBe(404);
    expect(await appears('/articles/embargoed-until-soon/', 10_000)).toBe(true);
  });
});

describe('the import log', () => {
  it('tells a bad file once, not again at every publish, and tells it fixed', async () => {
    const bad = join(contentDir, 'broken.md');
    await writeFile(bad, '---\ntitle: [unclosed\n---\nText.\n');
    lines.length = 0;
    await local.publisher.publishNow();
    await local.publisher.publishNow();
    await local.publisher.publishNow();
    expect(lines.filter((line) => line.includes('content/broken.md:'))).toHaveLength(1);
    await writeFile(bad, '---\ntitle: Mended\ndate: 2025-01-02\n---\nText.\n');
    await local.publisher.publishNow();
    expect(lines.join('\n')).toContain('content/broken.md: fixed');
  });
});

describe('a file saved in another encoding than UTF-8', () => {
  it('is told in the import log by name and place, and the other files still publish', async () => {
    await writeFile(
      join(contentDir, '2025-01-03-latin.md'),
      Buffer.concat([Buffer.from('---\ntitle: Caf'), Buffer.from([0xe9]), Buffer.from('\n---\nText.\n')]),
    );
    await writeFile(join(contentDir, '2025-01-03-fine.md'), '---\ntitle: Fine\n---\nText.\n');
    lines.length = 0;
    await local.publisher.publishNow();
    expect(lines.join('\n')).toContain('content/2025-01-03-latin.md: has the byte 0xE9 at line 2, column 11, which is not UTF-8');
    expect((await local.app.request('/articles/fine/')).status).toBe(200);
    expect((await local.app.request('/articles/caf/')).status).toBe(404);
  });
});

describe('an article has one owner', () => {
  const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

  it('refuses through the API a change to an article that comes from a file, naming the file', async () => {
    await writeFile(join(contentDir, 'owned.md'), '---\ntitle: Owned by its file\ndate: 2025-01-03\n---\nText.\n');
    await local.publisher.publishNow();
    const put = await local.app.request('/api/articles/owned-by-its-file', {
      method: 'PUT',
      headers: { ...headers, 'If-Match': '"1"' },
      body: JSON.stringify({ title: 'Changed through the API', body: 'Other text.' }),
    });
    expect(put.status).toBe(409);
    expect(((await put.json()) as { errors: unknown[] }).errors).toEqual([
      { field: 'source', message: 'comes from content/owned.md: edit or delete the file instead' },
    ]);
    const removed = await local.app.request('/api/articles/owned-by-its-file', { method: 'DELETE', headers });
    expect(removed.status).toBe(409);
    expect((await local.app.request('/articles/owned-by-its-file/')).status).toBe(200);
  });

  it('keeps the article of a renamed file at its address, with its id, through the publish that sees the rename', async () => {
    await writeFile(join(contentDir, 'before.md'), '---\ntitle: Renamed later\ndate: 2025-01-04\n---\nText.\n');
    await local.publisher.publishNow();
    const before = await stack.stores.articles.get('renamed-later');

    await rename(join(contentDir, 'before.md'), join(contentDir, 'after.md'));
    const report = await local.publisher.publishNow();

    expect(report?.deleted).not.toContain('articles/renamed-later/index.html');
    expect((await local.app.request('/articles/renamed-later/')).status).toBe(200);
    expect(await stack.stores.articles.get('renamed-later')).toMatchObject({ id: before!.id, source: 'content/after.md' });
  });
});

describe('runs a stopped process left behind', () => {
  it('end at the next start: a queued one is published, a running one is marked failed', async () => {
    const runs = stack.stores.runs;
    await runs.create({ id: 'left-queued', status: 'queued', requestedAt: new Date().toISOString() });
    await runs.create({ id: 'left-running', status: 'queued', requestedAt: new Date().toISOString() });
    await runs.update({
      id: 'left-running',
      status: 'running',
      requestedAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
    });

    await local.publisher.recoverRuns();

    expect((await runs.get('left-queued'))?.status).toBe('succeeded');
    expect((await runs.get('left-running'))?.status).toBe('failed');
    expect(await runs.unfinished()).toEqual([]);
  });
});

describe('a publish no caller waits for', () => {
  it('that fails is told in the log, never left an unhandled rejection', async () => {
    const runs = new InMemoryPublishRunStore();
    runs.create = () => Promise.reject(new Error('the table is gone'));
    const told: string[] = [];
    const publisher = new LocalPublisher({
      runs,
      articles: new InMemoryArticleStore(),
      publishing: { publishRun: () => Promise.reject(new Error('not reached')) },
      site: makeSite(),
      contentDir,
      quietMs: 1,
      log: (line) => told.push(line),
    });
    publisher.soon();
    await new Promise((r) => setTimeout(r, 50));
    await publisher.close();
    expect(told).toEqual(['publishing in the background failed: the table is gone']);
  });
});
