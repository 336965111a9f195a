/**
 * `pressrun push` against a real API over HTTP: the local stack's app, served on a free port.
 * Pushing a folder again must not touch the articles whose files have not changed: an update
 * bumps the version, marks the article changed for the next publish and moves it in the feeds.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type PushResult } from '../../functions/local/api-client.js';
import { createLocalApp, type LocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack, type LocalStack } from '../../functions/wiring/local.js';

const TOKEN = 'push-test-token';
const SEED_FILES = ['2025-04-22-russia-ukraine-direct-talks.txt', '2025-04-23-welcome-to-pressrun.md'];
/** Every optional field a file can give, and a relative link the client resolves before sending. */
const FULL_FRONT_MATTER = `---
title: Spring notes & corrections
slug: spring-notes
date: 2025-05-02T08:30:00+02:00
updated: 2025-05-03
summary: "Notes from the spring, with <em>markup</em> in the summary"
tags: [Notes, spring, notes]
authors:
  - name: Ada Writer
    email: ada@example.org
    url: https://example.org/ada
image:
  url: https://images.example.org/spring.jpg
  alt: A field in spring
canonical_url: https://elsewhere.example.org/spring-notes
---

Read [the welcome](/articles/welcome-to-pressrun/) first; then *these* notes <span onclick="x()">with markup</span>.

| a | b |
|---|---|
| 1 | 2 |
`;

let root: string;
let content: string;
let local: LocalApp | undefined;
let stack: LocalStack;
let server: ReturnType<typeof serve>;
let client: ApiClient;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pressrun-push-'));
  content = join(root, 'content');
  await mkdir(content);
  for (const name of SEED_FILES) await copyFile(new URL(`content/${name}`, projectRoot), join(content, name));
  await writeFile(join(content, 'spring-notes.md'), FULL_FRONT_MATTER);

  stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: join(root, 'data'), PRESSRUN_API_TOKEN: TOKEN }, port: 8787 });
  local = createLocalApp(stack, { contentDir: content });
  server = serve({ fetch: local.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  client = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, TOKEN);
});
afterAll(async () => {
  server?.close();
  await local?.publisher.close();
  await stack?.close();
  await rm(root, { recursive: true, force: true });
});

const outcomes = (results: PushResult[]) => Object.fromEntries(results.map((r) => [r.file, r.detail ?? r.outcome]));
const versions = async () => {
  const { items } = await stack.stores.articles.list({ limit: 100 });
  return Object.fromEntries(items.map((article) => [article.slug, article.version]));
};

describe('pressrun push', () => {
  it('creates every article of a new folder', async () => {
    expect(outcomes(await client.pushDirectory(content))).toEqual({
      'content/2025-04-22-russia-ukraine-direct-talks.txt': 'created',
      'content/2025-04-23-welcome-to-pressrun.md': 'created',
      'content/spring-notes.md': 'created',
    });
  });

  it('leaves every article alone when the folder is pushed again unchanged', async () => {
    const before = await versions();
    expect(outcomes(await client.pushDirectory(content))).toEqual({
      'content/2025-04-22-russia-ukraine-direct-talks.txt': 'unchanged',
      'content/2025-04-23-welcome-to-pressrun.md': 'unchanged',
      'content/spring-notes.md': 'unchanged',
    });
    expect(await versions()).toEqual(before);
  });

  it('updates only the article whose file was edited', async () => {
    const before = await versions();
    const welcome = join(content, '2025-04-23-welcome-to-pressrun.md');
    await writeFile(welcome, (await readFile(welcome, 'utf8')).replace('## Where to read', '## Where to read it'));

    expect(outcomes(await client.pushDirectory(content))).toEqual({
      'content/2025-04-22-russia-ukraine-direct-talks.txt': 'unchanged',
      'content/2025-04-23-welcome-to-pressrun.md': 'updated',
      'content/spring-notes.md': 'unchanged',
    });
    expect(await versions()).toEqual({ ...before, 'welcome-to-pressrun': before['welcome-to-pressrun']! + 1 });
    expect((await stack.stores.articles.get('welcome-to-pressrun'))?.html).toContain('Where to read it');
  });

  it('updates an article when a field is removed from its file', async () => {
    const spring = join(content, 'spring-notes.md');
    await writeFile(spring, FULL_FRONT_MATTER.replace(/^image:\n(?: {2}.*\n)+/m, ''));

    expect(outcomes(await client.pushDirectory(content))['content/spring-notes.md']).toBe('updated');
    expect((await stack.stores.articles.get('spring-notes'))?.image).toBeUndefined();
    expect(outcomes(await client.pushDirectory(content))['content/spring-notes.md']).toBe('unchanged');
  });
});

describe('the CLI client, given a wrong address or folder', () => {
  /** A port nothing listens on: taken, then let go. */
  async function closedPort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }

  it('tells an address that is not an http(s) URL, naming it (it said "Invalid URL")', () => {
    expect(() => new ApiClient('not-a-url', TOKEN)).toThrow('--api: "not-a-url" is not an http or https URL');
    expect(() => new ApiClient('ftp://example.com/api', TOKEN)).toThrow('--api: "ftp://example.com/api" is not an http or https URL');
  });

  it('tells an API it cannot reach, with the address and the reason (it said "fetch failed")', async () => {
    const api = `http://127.0.0.1:${await closedPort()}/api`;
    await expect(new ApiClient(api, TOKEN).publishAndWait()).rejects.toThrow(`cannot reach the API at ${api}/publish (ECONNREFUSED)`);
    const results = await new ApiClient(api, TOKEN).pushDirectory(content);
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result).toEqual({
        file: result.file,
        outcome: 'failed',
        detail: expect.stringMatching(`^cannot reach the API at ${api}/articles/\\S+ \\(ECONNREFUSED\\)`),
      });
    }
  });

  it('tells a bad file by name once, with its problem once', async () => {
    const bad = join(root, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'undated.md'), '---\ntitle: No date\n---\nText.\n');
    expect(await client.pushDirectory(bad)).toEqual([
      {
        file: 'bad/undated.md',
        outcome: 'failed',
        detail: 'invalid article: published: is required: add a date to the front matter or start the file name with YYYY-MM-DD-',
      },
    ]);
  });

  it('tells a folder that is not there, or is a file (it said "ENOENT: no such file or directory, scandir")', async () => {
    await expect(client.pushDirectory(join(root, 'nowhere'))).rejects.toThrow(`${join(root, 'nowhere')} is not a folder`);
    await expect(client.pushDirectory(join(content, 'spring-notes.md'))).rejects.toThrow(
      `${join(content, 'spring-notes.md')} is not a folder`,
    );
  });
});
