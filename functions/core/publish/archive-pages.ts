/**
 * RFC 5005 archive pages of a feed (the site's or a tag's), numbered from 1, the oldest.
 *
 * A page is closed once it holds `size` articles, at the `published` time of its newest one
 * (articles published at that same instant join it, so a page may hold a few more). Only the
 * closing times are kept (ArchiveState.bounds), so a closed page is a fixed window of time:
 *   - a new article lands after the last bound, in the open region, which the subscription feed
 *     covers (size ≤ the feed's item limit); closing a page never renumbers an older one;
 *   - an edit, a deletion or a back-dated article changes only the one page whose window holds
 *     its date, and that page keeps its number.
 * So adding an article writes what it touches, and a reader paging back by prev-archive links
 * meets every article exactly once.
 */
import type { Article } from '../article.js';

/** Pages hold at most this many articles (and never more than a feed does). */
export const ARCHIVE_PAGE_MAX = 50;

export interface ArchiveState {
  /** Articles per page when its pages were closed; a different size starts the archive over. */
  size: number;
  /** The closing time (RFC 3339) of each closed page, page 1 first. */
  bounds: string[];
  /** Site scope only: every tag that has articles, for the sitemap. */
  tags?: string[];
}

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
    const ordered =
      Array.isArray(state.bounds) &&
      state.bounds.every((b, i) => typeof b === 'string' && (i === 0 || Date.parse(state.bounds[i - 1]!) < Date.parse(b)));
    if (state.size !== size || !ordered) return emptyArchive(size);
    return { size, bounds: state.bounds, ...(Array.isArray(state.tags) ? { tags: state.tags } : {}) };
  } catch {
    return emptyArchive(size);
  }
}

export function writeArchiveState(state: ArchiveState): string {
  return JSON.stringify(state);
}

/** The closed page whose window holds `published`, or undefined when it lies in the open region. */
export function archivePageOf(state: ArchiveState, published: string): number | undefined {
  const time = Date.parse(published);
  let low = 0;
  let high = state.bounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (Date.parse(state.bounds[mid]!) < time) low = mid + 1;
    else high = mid;
  }
  return low < state.bounds.length ? low + 1 : undefined;
}

/** `after < published <= before` of a closed page, as ArticleStore.latest takes them. */
export function archiveWindow(state: ArchiveState, page: number): { after?: Date; before: Date } {
  const before = new Date(state.bounds[page - 1]!);
  return page === 1 ? { before } : { after: new Date(state.bounds[page - 2]!), before };
}

/** The start of the open region: articles published after it are in no closed page. */
export function openSince(state: ArchiveState): Date | undefined {
  const last = state.bounds[state.bounds.length - 1];
  return last === undefined ? undefined : new Date(last);
}

/**
 * Closes as many full pages as the open region's articles fill. Returns the new state, the
 * articles of each newly closed page (oldest first), and those left open.
 */
export function closeFullPages(
  state: ArchiveState,
  open: readonly Article[],
): { state: ArchiveState; closed: Array<{ page: number; articles: Article[] }>; open: Article[] } {
  const since = openSince(state);
  let remaining = [...open].filter((a) => since === undefined || Date.parse(a.published) > since.getTime()).sort(oldestFirst);
  const bounds = [...state.bounds];
  const closed: Array<{ page: number; articles: Article[] }> = [];
  while (remaining.length >= state.size) {
    const bound = Date.parse(remaining[state.size - 1]!.published);
    const page = remaining.filter((a) => Date.parse(a.published) <= bound);
    remaining = remaining.slice(page.length);
    bounds.push(new Date(bound).toISOString());
    closed.push({ page: bounds.length, articles: page });
  }
  return { state: { ...state, bounds }, closed, open: remaining };
}

/** Every article of `articles` sorted into its closed page; those in the open region are left out. */
export function sortIntoPages(state: ArchiveState, articles: readonly Article[]): Map<number, Article[]> {
  const pages = new Map<number, Article[]>();
  for (const article of articles) {
    const page = archivePageOf(state, article.published);
    if (page !== undefined) (pages.get(page) ?? pages.set(page, []).get(page)!).push(article);
  }
  return pages;
}

function oldestFirst(a: Article, b: Article): number {
  return Date.parse(a.published) - Date.parse(b.published) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}
