/**
 * Imports article files (content/) into the article store. A file is known by its path:
 * an unchanged file is a no-op, an edited one updates its article but keeps the slug and
 * id it was first published with (links and feed ids never move), a renamed one keeps its
 * article, and a removed file removes its article. A bad file is reported by name and field;
 * the others still import.
 */
import { createHash } from 'node:crypto';
import type { StoredArticle } from '../article.js';
import { createArticle } from './create-article.js';
import { placementFor } from './placement.js';
import { parseArticleFile } from './parse-file.js';
import { PressrunError } from '../errors.js';
import type { ArticleStore } from './ports.js';
import type { SiteConfig } from '../site.js';

export interface ArticleFile {
  /** Path relative to the project, e.g. "content/2025-04-22-talks.txt". */
  name: string;
  text: string;
}

export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
  failed: Array<{ file: string; error: PressrunError }>;
}

export interface ImportScope {
  /** Files under this prefix that are not in `files` any more have their articles deleted. */
  prefix: string;
}

export async function importArticles(
  files: ArticleFile[],
  deps: { articles: ArticleStore; site: SiteConfig; now: Date },
  scope: ImportScope,
): Promise<ImportReport> {
  const report: ImportReport = { created: [], updated: [], unchanged: [], deleted: [], failed: [] };
  const bySource = await articlesBySource(deps.articles, scope.prefix);
  const names = new Set(files.map((file) => file.name));
  // Articles whose file is gone: deleted at the end, unless a new file turns out to be that file renamed.
  const orphans = new Map([...bySource].filter(([source]) => !names.has(source)));

  for (const file of files) {
    try {
      await importFile(file, deps, { bySource, orphans, report });
    } catch (error) {
      if (!(error instanceof PressrunError)) throw error;
      report.failed.push({ file: file.name, error });
    }
  }

  for (const gone of orphans.values()) {
    await deps.articles.delete(gone.slug, gone.version);
    report.deleted.push(gone.slug);
  }
  return report;
}

interface ImportState {
  bySource: Map<string, StoredArticle>;
  orphans: Map<string, StoredArticle>;
  report: ImportReport;
}

/**
 * One file: unchanged is a no-op; its own article is updated; a file under a new name is the
 * file of an orphaned article when it holds the same text or makes the same slug (a rename,
 * with or without an edit): that article keeps its slug, URL and id; otherwise a new article.
 */
async function importFile(file: ArticleFile, deps: { articles: ArticleStore; site: SiteConfig; now: Date }, state: ImportState) {
  const sourceHash = createHash('sha256').update(file.text).digest('base64url');
  const own = state.bySource.get(file.name);
  if (own?.sourceHash === sourceHash) return void state.report.unchanged.push(own.slug);
  const parsed = parseArticleFile(file, { site: deps.site, now: deps.now });
  const existing = own ?? renamedFrom(state.orphans, sourceHash, parsed.slug);
  if (!existing) {
    await createArticle(deps.articles, { ...parsed, source: file.name, sourceHash }, deps.now).catch(async (error: unknown) => {
      throw isSlugTaken(error) ? await slugTakenBy(deps.articles, file.name, parsed) : error;
    });
    return void state.report.created.push(parsed.slug);
  }
  const next = { ...parsed, id: existing.id, slug: existing.slug, source: file.name, sourceHash };
  const placed = placementFor(next, deps.now, existing);
  await deps.articles.update({ ...next, ...(placed ? { placed } : {}) }, existing.version);
  if (existing.source !== undefined) state.orphans.delete(existing.source);
  state.report.updated.push(existing.slug);
}

const isSlugTaken = (error: unknown) =>
  error instanceof PressrunError && error.kind === 'conflict' && error.problems.some((p) => p.field === 'slug');

/**
 * Whose the slug a new file makes is, and how to give the file one of its own: a title that
 * recurs (a daily column) makes the same slug every day, so the file's date is the suggestion.
 */
async function slugTakenBy(store: ArticleStore, name: string, article: { slug: string; published: string }): Promise<PressrunError> {
  const source = (await store.get(article.slug))?.source;
  const holder = source ?? 'an article written through the API';
  const suggestion = `${article.slug}-${article.published.slice(0, 10)}`;
  return new PressrunError(
    'conflict',
    `${name}: the slug "${article.slug}" is taken by ${holder}: give this article a slug of its own, e.g. slug: ${suggestion}`,
    [{ field: 'slug', message: `is taken by ${holder}` }],
  );
}

function renamedFrom(orphans: Map<string, StoredArticle>, sourceHash: string, slug: string): StoredArticle | undefined {
  const all = [...orphans.values()];
  return all.find((article) => article.sourceHash === sourceHash) ?? all.find((article) => article.slug === slug);
}

async function articlesBySource(store: ArticleStore, prefix: string): Promise<Map<string, StoredArticle>> {
  const map = new Map<string, StoredArticle>();
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const article of page.items) if (article.source?.startsWith(prefix)) map.set(article.source, article);
    cursor = page.cursor;
  } while (cursor);
  return map;
}
