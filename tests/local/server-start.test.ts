/**
 * `npm start` given a port it cannot have: told in one line with what to do, as a user meets
 * it, not an unhandled 'error' event or a configuration error about another setting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../functions/wiring/local.js';
import { freePort, startServer } from './local-process.js';

let dataDir: string;
let other: Server;
let taken: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressrun-server-start-'));
  taken = await freePort();
  other = createServer();
  await new Promise<void>((resolve) => other.listen(taken, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => other.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('on a port another program holds, says which and how to choose another, and leaves the data folder free', async () => {
    const server = startServer(dataDir, taken);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(
      `Port ${taken} on 127.0.0.1 is in use by another program (another npm start?): set PORT to a free one, e.g. PORT=${taken + 1} npm start`,
    );
    expect(server.output()).not.toMatch(/Unhandled 'error' event|\n\s+at /);
    // The next start on the same folder is not refused as if this one still ran.
    const stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir }, port: taken + 1 });
    await stack.close();
  }, 60_000);

  it("with the mail catcher's port held by another program (another maildev), says which setting to change, without a stack trace", async () => {
    const server = startServer(dataDir, await freePort(), { PRESSRUN_MAILDEV_WEB_PORT: String(taken) });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('set PRESSRUN_SMTP_PORT or PRESSRUN_MAILDEV_WEB_PORT to a free port or 0');
    expect(server.output()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('with a setting it cannot use, names the setting without a stack trace', async () => {
    const server = startServer(dataDir, await freePort(), { PRESSRUN_SITE_URL: 'not-a-url' });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain('PRESSRUN_SITE_URL must be an absolute http(s) URL, got "not-a-url"');
    expect(server.output()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('with PORT=abc, says PORT must be a port number (it failed on PRESSRUN_SITE_URL "http://localhost:NaN/")', async () => {
    const server = startServer(dataDir, 0, { PORT: 'abc' });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain('PORT must be a port number from 1 to 65535, not "abc"');
    expect(server.output()).not.toMatch(/PRESSRUN_SITE_URL|\n\s+at /);
  }, 60_000);
});
