/**
 * Calls `onChange` once a folder has been quiet for `quietMs` after a change: editors save a
 * file in several writes, and one import per save is enough. Runs never overlap.
 *
 * chokidar rather than a recursive fs.watch: on Linux, Node 20's loses a file once it is
 * replaced by rename (sed -i, vim, most editors' safe write), and misses its later saves.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch } from 'chokidar';

export interface ContentWatcher {
  /** Resolves once the folder is being watched: changes from then on are seen. */
  ready(): Promise<void>;
  /** Resolves when the run in progress, if any, has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** vim's swap files and write test (4913), backups (name~) and emacs' lock and auto-save files. */
const EDITOR_SCRATCH = [/\.sw[a-p]$/, /~$/, /^\.#/, /^#.*#$/, /^4913$/];

const isEditorScratchFile = (path: string): boolean => {
  const name = basename(path);
  return EDITOR_SCRATCH.some((pattern) => pattern.test(name));
};

/** After a run that followed new folders, how long until their files are looked at again: chokidar reads a folder's entries at most once a second. */
const LOOK_AGAIN_MS = 1_000;

/**
 * How far behind our clock the file system may stamp a change: ext4 takes file times from the
 * kernel's coarse clock, up to a tick (4–10 ms) behind Date.now(). A change within this much
 * before a run began is taken as made after it: at worst one more run that finds nothing new.
 */
const FILE_CLOCK_SLACK_MS = 50;

/** The latest time anything under `folders` was written, renamed or removed (0 for folders that are gone). */
async function lastChangeIn(folders: string[]): Promise<number> {
  let last = 0;
  for (const folder of folders) {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    // One at a time: a folder copied in may hold thousands of files.
    for (const path of [folder, ...entries.map((entry) => join(entry.parentPath, entry.name))]) {
      const stats = await stat(path).catch(() => undefined);
      if (stats) last = Math.max(last, stats.mtimeMs, stats.ctimeMs);
    }
  }
  return last;
}

export interface WatchOptions {
  quietMs?: number;
  onError?: (error: unknown) => void;
  /** The clock a run's start is told by, compared with the times the file system gives files. */
  now?: () => number;
}

export function watchContent(dir: string, onChange: () => Promise<unknown>, options: WatchOptions = {}): ContentWatcher {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  let lastRunAt = 0;
  const watcher = watch(dir, { ignoreInitial: true, ignored: isEditorScratchFile });
  const ready = new Promise<void>((resolve) => watcher.once('ready', resolve));
  const newFolders = new Set<string>();
  const run = () => {
    lastRunAt = now();
    running = running.then(onChange).then(
      () => undefined,
      (error: unknown) => options.onError?.(error),
    );
  };
  // chokidar watches a new folder some time after it reads it, and never tells what was saved
  // there in between. Once that time is most likely over, the folders' files are looked at again, and
  // anything changed since the last run began (a rename changes the time of the file and of its
  // folder; FILE_CLOCK_SLACK_MS) starts another, unless a burst of changes is already on its way to one.
  const readAgain = (folders: string[]) => {
    watcher.add(folders);
    // lastChangeIn never rejects: what it cannot read counts as unchanged.
    setTimeout(async () => {
      if (closed || timer !== undefined) return;
      const since = lastRunAt - FILE_CLOCK_SLACK_MS;
      if ((await lastChangeIn(folders)) > since && !closed && timer === undefined) run();
    }, LOOK_AGAIN_MS).unref();
  };
  watcher.on('all', (event, path) => {
    if (closed) return;
    if (event === 'addDir') newFolders.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      // chokidar reads a new folder, then watches it: a folder made in between would never be
      // watched. Each new folder is read again once the burst is over; what it finds is watched
      // from then on, silently (ignoreInitial), as the run below imports it anyway.
      if (newFolders.size > 0) readAgain([...newFolders]);
      newFolders.clear();
      run();
    }, options.quietMs ?? 300);
  });
  watcher.on('error', (error) => options.onError?.(error));
  return {
    ready: () => ready,
    settled: () => running,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
