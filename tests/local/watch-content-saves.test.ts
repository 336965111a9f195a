/**
 * The content watcher from an author's side: however a file in content/ is saved, moved or
 * removed, the site republishes. Node 20's recursive fs.watch on Linux loses a file once it is
 * replaced by rename, which is how sed -i, vim and most editors' safe write save.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFsHandler } from 'chokidar/handler.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchContent, type ContentWatcher } from '../../functions/local/watch-content.js';

const QUIET_MS = 150;
/**
 * Long enough for a run that is coming to have started, with room for a slow machine: a save
 * chokidar has not come to watch yet is seen by the second look, a second after the run before
 * it (1.5 s left half a second for that, and a loaded npm test once ran past it).
 */
const NO_RUN_WITHIN_MS = 3_000;

let root: string;
let content: string;
let elsewhere: string;
let watcher: ContentWatcher;
let runs: number;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pressrun-watch-saves-'));
  content = join(root, 'content');
  elsewhere = join(root, 'elsewhere');
  await mkdir(content);
  await mkdir(elsewhere);
  await writeFile(join(content, 'note.md'), 'first version');
  runs = 0;
  watcher = watchContent(content, async () => void runs++, { quietMs: QUIET_MS });
  await watcher.ready();
});
afterEach(async () => {
  await watcher.close();
  await rm(root, { recursive: true, force: true });
});

/** Does `change`, then waits for the watcher to run once more than before (or gives up). */
async function runsAfter(change: () => Promise<void>): Promise<number> {
  const before = runs;
  await change();
  const deadline = Date.now() + NO_RUN_WITHIN_MS;
  while (runs === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await watcher.settled();
  return runs;
}

/** Saves as sed -i does: the new text goes to a temporary file that is then renamed over the original. */
const saveByRename = (file: string, text: string, tempDir: string) => async () => {
  const temp = join(tempDir, `sed${Math.random().toString(36).slice(2, 8)}`);
  await writeFile(temp, text);
  await rename(temp, file);
};

describe('watchContent, however a file is saved', () => {
  it('runs after each of three saves by rename, staged next to the file as sed -i does', async () => {
    const note = join(content, 'note.md');
    expect(await runsAfter(saveByRename(note, 'second version', content))).toBe(1);
    expect(await runsAfter(saveByRename(note, 'third version', content))).toBe(2);
    expect(await runsAfter(saveByRename(note, 'fourth version', content))).toBe(3);
  });

  it('runs after each of three saves by rename, staged outside content/', async () => {
    // A temporary file outside the folder is not seen itself, so only the rename can trigger the run.
    const note = join(content, 'note.md');
    expect(await runsAfter(saveByRename(note, 'second version', elsewhere))).toBe(1);
    expect(await runsAfter(saveByRename(note, 'third version', elsewhere))).toBe(2);
    expect(await runsAfter(saveByRename(note, 'fourth version', elsewhere))).toBe(3);
  });

  it('runs when a file saved by rename is then written in place', async () => {
    const note = join(content, 'note.md');
    expect(await runsAfter(saveByRename(note, 'second version', elsewhere))).toBe(1);
    expect(await runsAfter(() => writeFile(note, 'third version, written in place'))).toBe(2);
  });

  it('runs when a file saved by rename is deleted, and again when it is created again', async () => {
    const note = join(content, 'note.md');
    expect(await runsAfter(saveByRename(note, 'second version', elsewhere))).toBe(1);
    expect(await runsAfter(() => rm(note))).toBe(2);
    expect(await runsAfter(() => writeFile(note, 'back again'))).toBe(3);
  });

  it('runs for a new file in a new sub-folder, and for its later saves by rename', async () => {
    const sub = join(content, '2025', 'april');
    const createInNewFolder = async () => {
      await mkdir(sub, { recursive: true });
      await writeFile(join(sub, 'talks.md'), 'talks');
    };
    expect(await runsAfter(createInNewFolder)).toBe(1);
    expect(await runsAfter(saveByRename(join(sub, 'talks.md'), 'talks, edited', elsewhere))).toBe(2);
  });

  it('watches a folder made inside a new folder before the watcher began to watch that one', async () => {
    // chokidar reads a new folder, then watches it: a folder made between the two was never watched,
    // and its files' saves were missed (a loaded CI run met it once). The window is widened here to 300 ms.
    const read = Object.getOwnPropertyDescriptor(NodeFsHandler.prototype, '_handleRead')!;
    NodeFsHandler.prototype._handleRead = async function (this: NodeFsHandler, ...args: Parameters<NodeFsHandler['_handleRead']>) {
      const done = await read.value.apply(this, args);
      if (!args[1]) await new Promise((r) => setTimeout(r, 300));
      return done;
    };
    try {
      const year = join(content, '2025');
      await mkdir(year);
      await new Promise((r) => setTimeout(r, 100));
      const talks = join(year, 'april', 'talks.md');
      const createInTheWindow = async () => {
        await mkdir(join(year, 'april'));
        await writeFile(talks, 'talks');
      };
      const first = await runsAfter(createInTheWindow);
      expect(first).toBeGreaterThanOrEqual(1);
      expect(await runsAfter(saveByRename(talks, 'talks, edited', elsewhere))).toBe(first + 1);
    } finally {
      Object.defineProperty(NodeFsHandler.prototype, '_handleRead', read);
    }
  });

  it('sees a save in a new folder made before chokidar came to watch that folder, by looking at its files again', async () => {
    // chokidar watches a new folder some time after it reads it, and sees nothing saved there in
    // between: a loaded CI run saved right after the first run and the save was never published.
    // Here it never comes to watch the new folder at all, so only that second look can see the save.
    const watchWithNodeFs = Object.getOwnPropertyDescriptor(NodeFsHandler.prototype, '_watchWithNodeFs')!;
    NodeFsHandler.prototype._watchWithNodeFs = function (this: NodeFsHandler, ...args: Parameters<NodeFsHandler['_watchWithNodeFs']>) {
      return args[0].includes('april') ? () => undefined : watchWithNodeFs.value.apply(this, args);
    };
    try {
      const talks = join(content, '2025', 'april', 'talks.md');
      const createInNewFolder = async () => {
        await mkdir(join(content, '2025', 'april'), { recursive: true });
        await writeFile(talks, 'talks');
      };
      expect(await runsAfter(createInNewFolder)).toBe(1);
      expect(await runsAfter(saveByRename(talks, 'talks, edited', elsewhere))).toBe(2);
      // Once looked at, the folder's files are not looked at again and again.
      await new Promise((r) => setTimeout(r, NO_RUN_WITHIN_MS));
      expect(runs).toBe(2);
    } finally {
      Object.defineProperty(NodeFsHandler.prototype, '_watchWithNodeFs', watchWithNodeFs);
    }
  });

  it('sees a save made just after a run began, though the file system stamps it a few ms behind our clock', async () => {
    // ext4 stamps files from the kernel's coarse clock, up to a tick (4 ms here) behind Date.now():
    // a save a few ms after a run began looked older than the run to the second look, and was lost.
    // Here our clock runs 40 ms ahead of the file system's, so every save within 40 ms looks like that.
    await watcher.close();
    runs = 0;
    watcher = watchContent(content, async () => void runs++, { quietMs: QUIET_MS, now: () => Date.now() + 40 });
    await watcher.ready();
    const watchWithNodeFs = Object.getOwnPropertyDescriptor(NodeFsHandler.prototype, '_watchWithNodeFs')!;
    NodeFsHandler.prototype._watchWithNodeFs = function (this: NodeFsHandler, ...args: Parameters<NodeFsHandler['_watchWithNodeFs']>) {
      return args[0].includes('april') ? () => undefined : watchWithNodeFs.value.apply(this, args);
    };
    try {
      const talks = join(content, '2025', 'april', 'talks.md');
      await mkdir(join(content, '2025', 'april'), { recursive: true });
      await writeFile(talks, 'talks');
      // The save, as soon as the run has begun.
      while (runs === 0) await new Promise((r) => setImmediate(r));
      await saveByRename(talks, 'talks, edited', elsewhere)();
      const deadline = Date.now() + NO_RUN_WITHIN_MS;
      while (runs === 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(runs).toBe(2);
    } finally {
      Object.defineProperty(NodeFsHandler.prototype, '_watchWithNodeFs', watchWithNodeFs);
    }
  });

  it("ignores editors' swap, backup and lock files but sees the rename that lands the real file", async () => {
    await writeFile(join(content, '.note.md.swp'), 'vim swap');
    await writeFile(join(content, '4913'), 'vim checks it may write here');
    await writeFile(join(content, 'note.md~'), 'backup');
    await writeFile(join(content, '.#note.md'), 'emacs lock');
    await new Promise((r) => setTimeout(r, NO_RUN_WITHIN_MS));
    expect(runs).toBe(0);

    // vim's safe write: the original becomes the backup and the new text lands under the real name.
    const saveAsVim = async () => {
      await rename(join(content, 'note.md'), join(content, 'note.md~'));
      await writeFile(join(content, 'note.md'), 'saved by vim');
    };
    expect(await runsAfter(saveAsVim)).toBe(1);
  });
});
