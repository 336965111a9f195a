/** Small helpers the client tests share: fetching the site, running Debian's tools. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/** The system Python: Debian's python3-feedparser is importable only there (PITFALLS.md). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Every feed document of the site by format, subscription feeds and archive pages alike. */
export function feedKeys(keys: readonly string[]) {
  const isFeed = (key: string) => /(?:^|\/)(?:feed|atom)(?:-\d+)?\.(?:xml|json)$/.test(key);
  const feeds = keys.filter(isFeed);
  return {
    rss: feeds.filter((k) => /(?:^|\/)feed(?:-\d+)?\.xml$/.test(k)),
    atom: feeds.filter((k) => /(?:^|\/)atom(?:-\d+)?\.xml$/.test(k)),
    json: feeds.filter((k) => k.endsWith('.json')),
    subscription: feeds.filter((k) => !k.includes('archive/')),
  };
}

/** Fetches `keys` into `dir` (as a feed reader would: Accept asks for feeds) and returns the file paths. */
export async function download(baseUrl: string, keys: readonly string[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const key of keys) {
    const response = await fetch(new URL(key, baseUrl), {
      headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1' },
    });
    if (!response.ok) throw new Error(`GET ${key}: ${response.status}`);
    const path = join(dir, key.replaceAll('/', '__'));
    await writeFile(path, Buffer.from(await response.arrayBuffer()));
    paths.push(path);
  }
  return paths;
}

/** Runs `task` over `items`, `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
      }
    }),
  );
  return results;
}
