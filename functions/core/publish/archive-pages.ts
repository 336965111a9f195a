/**
 * RFC 5005 archive pages of a feed (the site's or a tag's), numbered from 1, the oldest.
 *
 * Pages follow the order articles appeared (StoredArticle.placed: an article's date, or when it
 * was written if later), then their dates, then their slugs: an article's archive key. A page
 * is closed once it holds `size` articles, at the key of its last one; only the closing keys are
 * kept (ArchiveState.bounds), so a closed page is a fixed stretch of that order:
 *   - a new article, back-dated or not, is placed when it is written, after every closed page,
 *     in the open region that the subscription feed covers (size ≤ the feed's item limit);
 *     closing a page never renumbers an older one, and never adds to it;
 *   - an edit or a deletion changes only the one page that holds the article, and that page
 *     keeps its number.
 * So a reader paging back by prev-archive links meets every article exactly once, in the order
 * they appeared.
 */
import { placedAt, type StoredArticle } from '../article.js';

/** Pages hold at most this many articles (and never more than a feed does). */
export const ARCHIVE_PAGE_MAX = 50;

export interface ArchiveState {
  /** Articles per page when its pages were closed; a different size starts the archive over. */
  size: number;
  /** The archive key of the last article of each closed page, page 1 first. */
  bounds: string[];
  /** Site scope only: every tag that has articles, for the sitemap. */
  tags?: string[];
}

type Placed = Pick<StoredArticle, 'published' | 'placed' | 'slug'>;

/** Sorts after every key of the same instant: what a bound written as a bare time (before keys) stands for. */
const AFTER_ALL = '~';

/** An article's position in the archives: placement, then date, then slug (RFC 3339 UTC timestamps sort as text). */
export function archiveKey(article: Placed): string {
  return `${placedAt(article)}|${article.published}|${article.slug}`;
}

const instantOf = (key: string) => new Date(key.split('|')[0]!);

export function archivePageSize(feedItemLimit: number): number {
  return Math.max(1, Math.min(ARCHIVE_PAGE_MAX, feedItemLimit));
}

export function emptyArchive(size: number): ArchiveState {
  return { size, bounds: [] };
}

/** The stored state, or a fresh archive when there is none or it was made with another page size. */
export function readArchiveState(raw: string | undefined, size: number): ArchiveState {
  if (raw === undefined) return emptyArchive(size);
  try {
    const state = JSON.parse(raw) as ArchiveState;
    if (state.size !== size || !Array.isArray(state.bounds) || !state.bounds.every((b) => typeof b === 'string')) return emptyArchive(size);
    // A page closed at a bare time (before pages followed placement) holds everything placed up to it.
    const bounds = state.bounds.map((bound) => (bound.includes('|') ? bound : `${new Date(bound).toISOString()}|${AFTER_ALL}`));
    if (!bounds.every((b, i) => i === 0 || bounds[i - 1]! < b)) return emptyArchive(size);
    return { size, bounds, ...(Array.isArray(state.tags) ? { tags: state.tags } : {}) };
  } catch {
    return emptyArchive(size);
  }
}

export function writeArchiveState(state: ArchiveState): string {
  return JSON.stringify(state);
}

/** The closed page that holds the key, or undefined when it lies in the open region. */
export function archivePageOf(state: ArchiveState, key: string): number | undefined {
  let low = 0;
  let high = state.bounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (state.bounds[mid]! < key) low = mid + 1;
    else high = mid;
  }
  return low < state.bounds.length ? low + 1 : undefined;
}

/** The closed pages that may hold an article placed at `instant` (a change marker knows no more of it). */
export function archivePagesAt(state: ArchiveState, instant: string): number[] {
  const iso = new Date(instant).toISOString();
  const first = archivePageOf(state, `${iso}|`);
  const last = archivePageOf(state, `${iso}|${AFTER_ALL}`);
  if (first === undefined) return [];
  const pages: number[] = [];
  for (let page = first; page <= (last ?? state.bounds.length); page++) pages.push(page);
  return pages;
}

/**
 * A closed page's stretch of keys, and the placement times to ask the store for to find them
 * (`after < placed <= before`; the articles are then kept by key with inWindow).
 */
export function archiveWindow(state: ArchiveState, page: number): { after?: Date; before: Date; low?: string; high: string } {
  const high = state.bounds[page - 1]!;
  const low = page === 1 ? undefined : state.bounds[page - 2]!;
  return { high, ...(low === undefined ? {} : { low }), ...windowQuery({ high, ...(low === undefined ? {} : { low }) }) };
}

/** The placement times to ask the store for to find the articles of a page bounded by these keys. */
export function windowQuery(window: { low?: string; high: string }): { after?: Date; before: Date } {
  const { low, high } = window;
  return { before: instantOf(high), ...(low === undefined ? {} : { after: new Date(instantOf(low).getTime() - 1) }) };
}

export function inWindow(window: { low?: string; high?: string }, article: Placed): boolean {
  const key = archiveKey(article);
  return (window.low === undefined || key > window.low) && (window.high === undefined || key <= window.high);
}

/** The last closed page's bound: articles after it are in no closed page. */
export function openSince(state: ArchiveState): string | undefined {
  return state.bounds[state.bounds.length - 1];
}

/** The placement time to ask the store from for the open region (inclusive of the bound's instant; keep by key after). */
export function openSinceInstant(state: ArchiveState): Date | undefined {
  const since = openSince(state);
  return since === undefined ? undefined : new Date(instantOf(since).getTime() - 1);
}

/**
 * Closes as many full pages as the open region's articles fill, `size` articles each. Returns
 * the new state, the articles of each newly closed page (in archive order), and those left open.
 */
export function closeFullPages<A extends Placed>(
  state: ArchiveState,
  open: readonly A[],
): { state: ArchiveState; closed: Array<{ page: number; articles: A[] }>; open: A[] } {
  const since = openSince(state);
  let remaining = [...open].filter((a) => since === undefined || archiveKey(a) > since).sort(byArchiveKey);
  const bounds = [...state.bounds];
  const closed: Array<{ page: number; articles: A[] }> = [];
  while (remaining.length >= state.size) {
    const page = remaining.slice(0, state.size);
    remaining = remaining.slice(state.size);
    bounds.push(archiveKey(page[page.length - 1]!));
    closed.push({ page: bounds.length, articles: page });
  }
  return { state: { ...state, bounds }, closed, open: remaining };
}

/** Every article of `articles` sorted into its closed page; those in the open region are left out. */
export function sortIntoPages<A extends Placed>(state: ArchiveState, articles: readonly A[]): Map<number, A[]> {
  const pages = new Map<number, A[]>();
  for (const article of articles) {
    const page = archivePageOf(state, archiveKey(article));
    if (page !== undefined) (pages.get(page) ?? pages.set(page, []).get(page)!).push(article);
  }
  return pages;
}

function byArchiveKey(a: Placed, b: Placed): number {
  const [x, y] = [archiveKey(a), archiveKey(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** closeFullPages over archive keys alone: the state after closing as many full pages as the open region's keys fill. */
export function closeFullPagesOfKeys(state: ArchiveState, keys: readonly string[]): ArchiveState {
  const since = openSince(state);
  // Archive keys compare as text, which is what the default sort does.
  const open = keys.filter((key) => since === undefined || key > since).sort();
  const bounds = [...state.bounds];
  for (let end = state.size; end <= open.length; end += state.size) bounds.push(open[end - 1]!);
  return { ...state, bounds };
}
