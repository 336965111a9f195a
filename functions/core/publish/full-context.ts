/** What every part of a full publish shares: its inputs, the archives' state, and the chunks it is cut into. */
import type { ArticleStore } from '../content/ports.js';
import type { OutputObject, SiteConfig } from '../site.js';
import type { ArchiveState } from './archive-pages.js';
import type { LeftOut } from './left-out.js';
import type { ManifestStore, ObjectStore } from './ports.js';

export const FINGERPRINT_KEY = '_pressrun/fingerprint';
/** Manifest entries that are not objects in the bucket: the fingerprint, archive states. */
export const INTERNAL_PREFIX = '_pressrun/';

export interface FullPublishInput {
  site: SiteConfig;
  /** The store as the publish reads it (without the articles left out). */
  articles: ArticleStore;
  objects: ObjectStore;
  manifest: ManifestStore;
  leftOut: LeftOut;
  now: Date;
  emptyUpdated: string;
  fingerprint: string;
  /** Object writes in flight at once. */
  concurrency: number;
  /** Asked for: write every object whatever the manifest says, and delete whatever the bucket holds that nothing claims. */
  rewrite: boolean;
  /** This publish among all others: every manifest entry it produces carries it (chunk-writer.ts). */
  stamp: string;
  /**
   * Whether this publish still holds the site: a fanned-out run failed from outside (the
   * reconciler) may have a sweep still under way while another publish starts, whose pages lack
   * this stamp. Asked before each page a sweep deletes. Absent: always.
   */
  stillHolds?: () => Promise<boolean>;
  /** The digest pages, a few at a time, then the digest archive: written before the home page. */
  digestChunks: () => AsyncIterable<OutputObject[]>;
  onProgress?: (progress: { written: number; planned: number }) => Promise<void>;
}

/** Every scope's archive after closing what filled up. */
export interface Scopes {
  site: ArchiveState;
  tags: Map<string, ArchiveState>;
}

/** A closed archive page, by the archive keys that bound it (archive-pages.ts). */
export interface PageWindow {
  page: number;
  low?: string;
  high: string;
}

/**
 * A piece of a full publish that can be built and written on its own, in bounded time and
 * memory: closed pages of the site's archive with their articles' pages, the articles in no
 * closed page yet, or closed pages of a tag's archive. It carries the windows it needs, so a
 * process that never saw the plan can carry it out.
 */
export type ChunkSpec =
  | { id: string; kind: 'site'; pages: PageWindow[]; newestPage: number }
  | { id: string; kind: 'open'; since?: string }
  | { id: string; kind: 'tag'; tag: string; pages: PageWindow[]; newestPage: number };

/**
 * The chunks of a full publish, in waves: a wave starts once every chunk of the one before has
 * landed (the site's pages, then the tags' archive pages, which link to them). The objects that
 * link to everything are written after the last wave (full-finish.ts).
 */
export interface FullPlan {
  waves: ChunkSpec[][];
  scopes: Scopes;
}

/** What a chunk did: what it wrote, what it deleted, what it left out. */
export interface ChunkResult {
  written: string[];
  deleted?: string[];
  /**
   * How many keys it wrote and deleted, when that is more than it lists: a chunk lists a few, so
   * that the finish, which reads every chunk's result, holds no list of the archive's size.
   */
  counted?: { written: number; deleted: number };
  unchanged: number;
  leftOut: Array<{ slug: string; reason: string }>;
}

/** A sweep stopped because its publish no longer holds the site: nothing is wrong, and nothing is to be done. */
export class SiteReleased extends Error {
  constructor() {
    super('the publish no longer holds the site');
  }
}

/** A chunk's result listing at most `upTo` of the keys it wrote and deleted, counting them all. */
export function listedResult(
  result: Omit<ChunkResult, 'counted'>,
  upTo: number,
  before: { deleted: number } = { deleted: 0 },
): ChunkResult {
  const deleted = result.deleted ?? [];
  const counted = { written: result.written.length, deleted: before.deleted + deleted.length };
  if (counted.written <= upTo && counted.deleted === deleted.length && deleted.length <= upTo) return result;
  return { ...result, written: result.written.slice(0, upTo), deleted: deleted.slice(0, upTo), counted };
}
