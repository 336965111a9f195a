/**
 * Pure: given the objects a publish built and the manifest of what is already published,
 * decide what to write, in which order, and what to delete.
 */
import type { OutputObject } from '../site.js';
import { outputHash } from './outputs.js';

export interface PublishPlan {
  /** Written one phase after another, so no published object links to one not yet written. */
  phases: OutputObject[][];
  /** The new manifest entry of every object to write. */
  hashes: Map<string, string>;
  unchanged: number;
  /** Keys that were published before and are no longer produced; deleted after every write. */
  deletes: string[];
}

const ARCHIVE_PAGE = /(?:^|\/)archive\/(?:feed|atom)-\d+\.(?:xml|json)$/;

/**
 * Article and digest pages first, then the listing pages that link to them, then the
 * home page and the feeds that link to both.
 */
export function phaseOf(key: string): number {
  if (key.startsWith('articles/') || (key.startsWith('digests/') && key !== 'digests/index.html')) return 0;
  // Archive pages link to article pages, and subscription feeds to archive pages; the sitemap index to the sitemaps.
  if (ARCHIVE_PAGE.test(key) || key.startsWith('sitemaps/')) return 1;
  if (key.endsWith('/index.html') && key !== 'index.html') return 1;
  return 2;
}

export function planPublish(
  outputs: OutputObject[],
  previous: ReadonlyMap<string, string>,
  deleteCandidates: Iterable<string>,
): PublishPlan {
  const phases: OutputObject[][] = [[], [], []];
  const hashes = new Map<string, string>();
  const produced = new Set<string>();
  let unchanged = 0;
  for (const object of outputs) {
    if (produced.has(object.key)) throw new Error(`publish built ${object.key} twice`);
    produced.add(object.key);
    const hash = outputHash(object);
    if (previous.get(object.key) === hash) {
      unchanged++;
      continue;
    }
    hashes.set(object.key, hash);
    phases[phaseOf(object.key)]!.push(object);
  }
  const deletes = [...new Set(deleteCandidates)].filter((key) => !produced.has(key) && previous.has(key)).sort();
  for (const phase of phases) phase.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { phases, hashes, unchanged, deletes };
}
