import { basename, dirname } from 'node:path';
import { importArticles, type ImportReport } from '../core/content/import-articles.js';
import type { ArticleStore } from '../core/content/ports.js';
import type { SiteConfig } from '../core/site.js';
import { readArticleFiles } from './content-files.js';

/** Imports every article file under `dir`, naming each by the folder and its path in it, e.g. "content/x.md". */
export async function importContent(stores: { articles: ArticleStore }, site: SiteConfig, dir: string): Promise<ImportReport> {
  const files = await readArticleFiles(dir, dirname(dir));
  return importArticles(files, { articles: stores.articles, site, now: new Date() }, { prefix: `${basename(dir)}/` });
}
