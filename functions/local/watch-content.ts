/**
 * Calls `onChange` once a folder has been quiet for `quietMs` after a change: editors save a
 * file in several writes, and one import per save is enough. Runs never overlap.
 *
 * chokidar rather than a recursive fs.watch: on Linux, Node 20's loses a file once it is
 * replaced by rename (sed -i, vim, most editors' safe write), and misses its later saves.
 */
import { basename } from 'node:path';
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

export function watchContent(
  dir: string,
  onChange: () => Promise<unknown>,
  options: { quietMs?: number; onError?: (error: unknown) => void } = {},
): ContentWatcher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const watcher = watch(dir, { ignoreInitial: true, ignored: isEditorScratchFile });
  const ready = new Promise<void>((resolve) => watcher.once('ready', resolve));
  const newFolders = new Set<string>();
  watcher.on('all', (event, path) => {
    if (closed) return;
    if (event === 'addDir') newFolders.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      // chokidar reads a new folder, then watches it: a folder made in between would never be
      // watched. Each new folder is read again once the burst is over; what it finds is watched
      // from then on, silently (ignoreInitial), as the run below imports it anyway.
      if (newFolders.size > 0) watcher.add([...newFolders]);
      newFolders.clear();
      running = running.then(onChange).then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      );
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
