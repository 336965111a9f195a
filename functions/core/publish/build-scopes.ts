/**
 * What a publish builds for each feed scope (the site, each tag): the subscription feeds and
 * their pages, the RFC 5005 archive pages a change touched or a publish closed, and, for the
 * site, the sitemaps: on an incremental publish, only the pages whose window holds a changed
 * article's old or new date (archive-pages.ts). A full publish streams the whole archive (full-publish.ts).
 */
import { allInWindow } from '../content/articles-in-window.js';
import { isPublished, placedAt, type Article, type StoredArticle } from '../article.js';
import type { ArticleStore, ChangeMarker } from '../content/ports.js';
import type { ManifestEntry } from './ports.js';
import type { OutputObject } from '../site.js';
import { paths, type SiteConfig } from '../site.js';
import {
  archiveKey,
  archivePagesAt,
  archivePageSize,
  archiveWindow,
  closeFullPages,
  inWindow,
  openSince,
  openSinceInstant,
  readArchiveState,
  writeArchiveState,
  type ArchiveState,
} from './archive-pages.js';
import {
  archiveOutputKeys,
  archiveOutputs,
  articleOutputs,
  articleSitemapOutput,
  sitemapIndexOutputs,
  siteOutputs,
  tagOutputKeys,
  tagOutputs,
} from './build-outputs.js';

/** Manifest entries under this prefix hold each scope's archive state, not object hashes. */
export const ARCHIVE_STATE_PREFIX = '_pressrun/archive/';
export const archiveStateKey = (tag: string | undefined) => `${ARCHIVE_STATE_PREFIX}${tag === undefined ? 'site' : `tags/${tag}`}`;
/** Articles that became due (scheduled in the future, now reached) between two publishes. */
const DUE_LIMIT = 1000;

export interface Built {
  outputs: OutputObject[];
  deleteCandidates: string[];
  /** Archive states that changed, to store once every object is written. */
  states: ManifestEntry[];
  /** Archive states of scopes that no longer exist. */
  dropStates: string[];
}

interface Context {
  site: SiteConfig;
  articles: ArticleStore;
  now: Date;
  emptyUpdated: string;
}

function inOpenRegion(state: ArchiveState, articles: readonly Article[]): Article[] {
  const since = openSince(state);
  return articles.filter((article) => since === undefined || archiveKey(article) > since);
}

/**
 * What the changes since the last publish touch: their article pages, the site's and each
 * touched tag's subscription feeds and pages, the archive pages holding a changed article's old
 * or new date, pages the open region filled, and the sitemaps of those pages.
 */
export async function buildChanges(
  ctx: Context,
  markers: ChangeMarker[],
  lastAt: string,
  manifest: { get(keys: string[]): Promise<Map<string, string>> },
): Promise<Built> {
  const built: Built = { outputs: [], deleteCandidates: [], states: [], dropStates: [] };
  const due = await ctx.articles.latest({ limit: DUE_LIMIT, after: new Date(lastAt), before: ctx.now });
  const { changed, tags } = await changedArticlePages(ctx, markers, due, built);
  const touches = touchedDates(markers, [...due, ...changed], tags);
  const scopes = [...touches.keys()];
  const [stored, ...latest] = await Promise.all([
    manifest.get(scopes.map(archiveStateKey)),
    ...scopes.map((tag) => ctx.articles.latest({ limit: ctx.site.feedItemLimit, before: ctx.now, ...(tag === undefined ? {} : { tag }) })),
  ]);
  const size = archivePageSize(ctx.site.feedItemLimit);
  const siteState = readArchiveState(stored.get(archiveStateKey(undefined)), size);
  const knownTags = new Set(siteState.tags ?? []);
  const after = await Promise.all(
    scopes.map((tag, i) => rebuildScope({ ...ctx, tag, latest: latest[i]!, touch: touches.get(tag)!, stored, size, knownTags }, built)),
  );
  const siteFinal = { ...(after[scopes.indexOf(undefined)] ?? siteState), tags: [...knownTags].sort() };
  const siteValue = writeArchiveState(siteFinal);
  if (siteValue !== stored.get(archiveStateKey(undefined))) built.states.push({ key: archiveStateKey(undefined), value: siteValue });
  built.outputs.push(...sitemapIndexOutputs(ctx.site, siteFinal.bounds.length, siteFinal.tags));
  return built;
}

/** The page of every article a marker names or that came due: rebuilt when public, a delete candidate when not. */
async function changedArticlePages(ctx: Context, markers: ChangeMarker[], due: StoredArticle[], built: Built) {
  const slugs = [...new Set([...markers.map((m) => m.slug), ...due.map((a) => a.slug)])];
  const tags = new Set([...markers, ...due].flatMap((m) => m.tags));
  const found = await Promise.all(slugs.map((slug) => ctx.articles.get(slug)));
  slugs.forEach((slug, i) => {
    const article = found[i];
    if (article && isPublished(article, ctx.now)) {
      built.outputs.push(...articleOutputs(ctx.site, article));
      article.tags.forEach((tag) => tags.add(tag));
    } else {
      built.deleteCandidates.push(paths.articlePage(slug));
    }
  });
  return { changed: found.filter((a): a is StoredArticle => a !== undefined), tags };
}

/** Which dates each scope (the site: undefined, or a tag) saw change: a marker's old and new dates, an article's current one. */
function touchedDates(markers: ChangeMarker[], articles: StoredArticle[], tags: Set<string>): Map<string | undefined, Touch> {
  const touches = new Map<string | undefined, Touch>([[undefined, { dates: new Set(), unknown: false }]]);
  const touch = (tag: string | undefined, dates: readonly string[] | undefined) => {
    const entry = touches.get(tag) ?? touches.set(tag, { dates: new Set(), unknown: false }).get(tag)!;
    if (dates === undefined) entry.unknown = true;
    else dates.forEach((date) => entry.dates.add(date));
  };
  for (const marker of markers) for (const tag of [undefined, ...marker.tags]) touch(tag, marker.published);
  for (const article of articles) for (const tag of [undefined, ...article.tags]) touch(tag, [placedAt(article)]);
  for (const tag of tags) touch(tag, []);
  return touches;
}

interface ScopeInput extends Context {
  tag: string | undefined;
  latest: StoredArticle[];
  touch: Touch;
  stored: Map<string, string>;
  size: number;
  /** The tags the site has, kept in the site's archive state; a tag left without articles leaves it. */
  knownTags: Set<string>;
}

/**
 * One scope's outputs: a tag's feeds, pages and archive pages (all deleted once it has no
 * article left), or the site's, with its sitemaps. Returns the scope's archive state after.
 */
async function rebuildScope(input: ScopeInput, built: Built): Promise<ArchiveState | undefined> {
  const { site, tag, latest, stored } = input;
  const key = archiveStateKey(tag);
  const state = readArchiveState(stored.get(key), input.size);
  if (tag !== undefined && latest.length === 0) {
    built.deleteCandidates.push(...tagOutputKeys(tag), ...archiveOutputKeys(tag, state.bounds.length));
    if (stored.has(key)) built.dropStates.push(key);
    input.knownTags.delete(tag);
    return undefined;
  }
  const scope = await scopeChanges({ ...input, state });
  built.outputs.push(...scope.outputs);
  const archive = { newestPage: scope.state.bounds.length };
  if (tag !== undefined) {
    input.knownTags.add(tag);
    built.outputs.push(...tagOutputs(site, tag, latest, input.emptyUpdated, archive));
    if (scope.state !== state) built.states.push({ key, value: writeArchiveState(scope.state) });
    return scope.state;
  }
  built.outputs.push(...siteOutputs(site, latest, input.emptyUpdated, archive));
  for (const [page, pageArticles] of scope.pages) built.outputs.push(articleSitemapOutput(site, page, pageArticles));
  built.outputs.push(articleSitemapOutput(site, 'latest', inOpenRegion(scope.state, latest)));
  return scope.state;
}

interface Touch {
  dates: Set<string>;
  /** A marker without dates (written before markers carried them): any page may hold the article. */
  unknown: boolean;
}

/** A scope's archive pages a publish must rewrite, and the state after closing what filled up. */
async function scopeChanges(
  input: Context & { tag: string | undefined; state: ArchiveState; latest: StoredArticle[]; touch: Touch },
): Promise<{ outputs: OutputObject[]; state: ArchiveState; pages: Map<number, Article[]> }> {
  const { site, articles, now, tag, state, latest, touch } = input;
  const scope = tag === undefined ? {} : { tag };
  const existing = state.bounds.length;
  const pages = new Set<number>();
  if (touch.unknown) for (let page = 1; page <= existing; page++) pages.add(page);
  for (const date of touch.dates) for (const page of archivePagesAt(state, date)) pages.add(page);

  let after = state;
  const built = new Map<number, Article[]>();
  const since = openSince(state);
  const size = state.size;
  // At least `size` of the latest articles lie after the last bound: the open region holds a full page (or more).
  if (latest.filter((article) => since === undefined || archiveKey(article) > since).length >= size) {
    const from = openSinceInstant(state);
    const open = (await allInWindow(articles, { before: now, ...(from ? { after: from } : {}), ...scope })).filter(
      (article) => since === undefined || archiveKey(article) > since,
    );
    const closing = closeFullPages(state, open);
    after = closing.state;
    for (const { page, articles: closed } of closing.closed) built.set(page, closed);
    // The page that was newest gains its next-archive link.
    if (existing > 0) pages.add(existing);
  }
  await Promise.all(
    [...pages].map(async (page) => {
      const window = archiveWindow(after, page);
      const query = { before: window.before, ...(window.after ? { after: window.after } : {}), ...scope };
      built.set(
        page,
        (await allInWindow(articles, query)).filter((article) => inWindow(window, article)),
      );
    }),
  );
  const outputs = [...built].flatMap(([page, pageArticles]) =>
    archiveOutputs(site, tag, page, pageArticles, after.bounds.length, input.emptyUpdated),
  );
  return { outputs, state: after, pages: built };
}

export { allInWindow };
