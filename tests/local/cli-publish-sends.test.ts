/**
 * `pressrun publish` without a running server starts a local stack of its own and exits when
 * done: the digest its publish makes must reach every reader before it does. Tried as a user
 * would: a real process, mail read from the SMTP catcher's folder.
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { copiesByAddress, folderWithReaders, freePort, runCli, totalCopies, type LocalProcess } from './local-process.js';

const TOKEN = 'local-test-token';
const READERS = 300;

let dataDir: string | undefined;
let cli: LocalProcess | undefined;
afterAll(async () => {
  cli?.child.kill('SIGKILL');
  await cli?.exited;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('`pressrun publish` without a running server', () => {
  it('mails the digest to every reader before it exits', async () => {
    const port = await freePort();
    const subject = /^Pressrun \(local\): Published from the command line/;
    const prepared = await folderWithReaders({ port, token: TOKEN, readers: READERS, title: 'Published from the command line' });
    dataDir = prepared.dataDir;

    cli = runCli(dataDir, ['publish'], { PRESSRUN_API_TOKEN: TOKEN, PORT: String(port) });
    expect(await cli.exited, cli.output()).toBe(0);

    const copies = await copiesByAddress(dataDir, subject);
    expect(totalCopies(copies)).toBe(READERS);
    expect(prepared.readers.filter((email) => copies.get(email) !== 1)).toEqual([]);
  }, 120_000);
});
