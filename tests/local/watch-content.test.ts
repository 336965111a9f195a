import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchContent, type ContentWatcher } from '../../functions/local/watch-content.js';

let dir: string;
let watcher: ContentWatcher | undefined;
afterEach(async () => {
  await watcher?.close();
  await rm(dir, { recursive: true, force: true });
});

const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};

describe('watchContent', () => {
  it('runs once after a burst of writes has gone quiet', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pressrun-watch-'));
    let runs = 0;
    // Quiet for long enough that a loaded machine (the suite spawns servers beside it) never splits the burst.
    watcher = watchContent(dir, async () => void runs++, { quietMs: 400 });
    await watcher.ready();
    for (let i = 0; i < 5; i++) await writeFile(join(dir, 'note.md'), `---\ntitle: Note ${i}\n---\n`);
    await until(() => runs > 0);
    await new Promise((r) => setTimeout(r, 600));
    expect(runs).toBe(1);
  });

  it('never overlaps two runs and keeps going after a failed one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pressrun-watch-'));
    const errors: unknown[] = [];
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    watcher = watchContent(
      dir,
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 150));
        active--;
        if (++runs === 1) throw new Error('first run fails');
      },
      { quietMs: 20, onError: (e) => errors.push(e) },
    );
    await watcher.ready();
    await writeFile(join(dir, 'a.md'), 'a');
    await new Promise((r) => setTimeout(r, 60));
    await writeFile(join(dir, 'b.md'), 'b');
    await until(() => runs >= 2);
    await watcher.settled();
    expect(maxActive).toBe(1);
    expect(errors).toHaveLength(1);
    expect(runs).toBe(2);
  });
});
