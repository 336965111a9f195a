/**
 * Imports article files (content/) into the article store. A file is known by its path:
 * an unchanged file is a no-op, an edited one updates its article but keeps the slug and
 * id it was first published with (links and feed ids never move), and a removed file
 * removes its article. A bad file is reported by name and field; the others still import.
 */
import { createHash } from 'node:crypto';
import type { StoredArticle } from '../article.js';
import { createArticle } from './create-article.js';
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

  for (const file of files) {
    const sourceHash = createHash('sha256').update(file.text).digest('base64url');
    const existing = bySource.get(file.name);
    bySource.delete(file.name);
    if (existing?.sourceHash === sourceHash) {
      report.unchanged.push(existing.slug);
      continue;
    }
    try {
      const parsed = parseArticleFile(file, { site: deps.site, now: deps.now });
      if (existing) {
        const kept = { ...parsed, id: existing.id, slug: existing.slug, source: file.name, sourceHash };
        await deps.articles.update(kept, existing.version);
        report.updated.push(existing.slug);
      } else {
        await createArticle(deps.articles, { ...parsed, source: file.name, sourceHash });
        report.created.push(parsed.slug);
      }
    } catch (error) {
      if (!(error instanceof PressrunError)) throw error;
      report.failed.push({ file: file.name, error });
    }
  }

  for (const gone of bySource.values()) {
    await deps.articles.delete(gone.slug, gone.version);
    report.deleted.push(gone.slug);
  }
  return report;
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
