/**
 * `npm start` after many writes made while it was stopped: it answers at once, serving what is
 * published, while its first publish catches up; then serves the new articles too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../functions/core/concurrency.js';
import { createLocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack } from '../../functions/wiring/local.js';
import { makeArticles } from '../support/factories.js';
import { freePort, startServer, type LocalProcess } from './local-process.js';

const PENDING = 60;

let dataDir: string;
let port: number;
let server: LocalProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressrun-restart-'));
  port = await freePort();
  const stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_API_TOKEN: 'local-test-token' }, port });
  const local = createLocalApp(stack, { contentDir: join(projectRoot.pathname, 'content') });
  try {
    await local.publisher.publishNow();
    // Written while the server is stopped: each leaves a change marker for the next publish.
    const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await mapWithConcurrency(makeArticles(PENDING, { published: lastMonth, updated: lastMonth }), 8, (article) =>
      stack.stores.articles.create(article),
    );
  } finally {
    await local.publisher.close();
    await stack.close();
  }
}, 120_000);
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  await rm(dataDir, { recursive: true, force: true });
});

describe('a restart with many pending changes', () => {
  it('answers with what is published before its first publish has caught up, then serves the new articles', async () => {
    server = startServer(dataDir, port);
    let home: Response | undefined;
    const started = Date.now();
    while (!home) {
      home = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      if (!home) await new Promise((resolve) => setTimeout(resolve, 25));
      if (Date.now() - started > 60_000) throw new Error(`no answer within 60 s:\n${server.output()}`);
    }
    const answeredAt = server.output().length;
    expect(home.status).toBe(200);
    // Nothing of the catch-up was published yet when the site first answered.
    expect(server.output().slice(0, answeredAt)).not.toMatch(/publish \S+: (full|incremental)/);
    expect(await home.text()).not.toContain('Title of test-article-');

    await server.waitFor(/publish \S+: (full|incremental): \d+ written/, 120_000);
    const after = await fetch(`http://127.0.0.1:${port}/`);
    expect(await after.text()).toContain('Title of test-article-');
  }, 180_000);
});
