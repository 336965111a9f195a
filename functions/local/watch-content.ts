/**
 * Calls `onChange` once a folder has been quiet for `quietMs` after a change: editors save a
 * file in several writes, and one import per save is enough. Runs never overlap.
 */
import { watch } from 'node:fs';

export interface ContentWatcher {
  /** Resolves when the run in progress, if any, has finished. */
  settled(): Promise<void>;
  close(): void;
}

export function watchContent(
  dir: string,
  onChange: () => Promise<unknown>,
  options: { quietMs?: number; onError?: (error: unknown) => void } = {},
): ContentWatcher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const watcher = watch(dir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(onChange).then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      );
    }, options.quietMs ?? 300);
  });
  return {
    settled: () => running,
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
