/**
 * A second process on the same .data/: `npx pressrun publish` while `npm start` runs, or a
 * second `npm start`. Tried the way a user does it, with real processes.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUse, lockDataDir } from '../../functions/local/data-lock.js';
import { createLocalApp, type LocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack, type LocalStack } from '../../functions/wiring/local.js';

const run = promisify(execFile);
const cli = join(projectRoot.pathname, 'functions/local/cli.ts');

let dataDir: string;
let stack: LocalStack;
let local: LocalApp;
let server: ServerType;
let url: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressrun-data-lock-'));
  // As npm start does: take the folder, say where it serves, publish, listen.
  const port = await new Promise<number>((resolve) => {
    const probe = serve({ fetch: () => new Response(), port: 0, hostname: '127.0.0.1' }, (info) => {
      probe.close();
      resolve(info.port);
    });
  });
  url = `http://127.0.0.1:${port}/`;
  stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir }, port, holder: { command: 'npm start', url } });
  local = createLocalApp(stack, { contentDir: join(projectRoot.pathname, 'content') });
  await local.publisher.publishNow();
  server = serve({ fetch: local.app.fetch, port, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  expect((server.address() as AddressInfo).port).toBe(port);
});
afterAll(async () => {
  server.close();
  await local.publisher.close();
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a second process on the same data folder', () => {
  it('a second server is refused with who holds the folder and what to do, not "Database is closed"', async () => {
    const second = startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir }, port: 8788, holder: { command: 'npm start' } });
    await expect(second).rejects.toBeInstanceOf(DataDirInUse);
    await expect(second).rejects.toThrow(new RegExp(`pid ${process.pid}, serving ${url.replace(/[.]/g, '\\.')}.*PRESSRUN_DATA_DIR`));
  });

  it('`pressrun publish` goes through the running server and prints its report', async () => {
    const { stdout } = await run(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', cli, 'publish'], {
      cwd: projectRoot.pathname,
      env: { ...process.env, PRESSRUN_DATA_DIR: dataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(stdout).toContain(`publishing through the running server (pid ${process.pid}, ${url})`);
    expect(stdout).toMatch(/incremental: \d+ written, \d+ unchanged, \d+ deleted/);
  }, 60_000);
});

describe('a lock left behind', () => {
  it('by a process that died is taken over', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'pressrun-stale-lock-'));
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    await writeFile(join(folder, 'lock.json'), JSON.stringify({ pid: dead.pid, command: 'npm start', since: '2026-01-01T00:00:00Z' }));
    const taking = lockDataDir(folder, { command: 'npm start' });
    await expect(taking).resolves.toEqual({ release: expect.any(Function) });
    await (await taking).release();
    await rm(folder, { recursive: true, force: true });
  });
});
