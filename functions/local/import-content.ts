import { importArticles, type ImportReport } from '../core/import-articles.js';
import type { ArticleStore } from '../core/ports.js';
import type { SiteConfig } from '../core/site.js';
import { readArticleFiles } from './content-files.js';
import { projectRoot } from './stack.js';

/** Imports every article file under `dir`; files are named relative to the project root. */
export async function importContent(stores: { articles: ArticleStore }, site: SiteConfig, dir: string): Promise<ImportReport> {
  const root = projectRoot.pathname;
  const files = await readArticleFiles(dir, root);
  const prefix = `${dir.slice(root.length).replace(/^\/+/, '').replace(/\/?$/, '/')}`;
  return importArticles(files, { articles: stores.articles, site, now: new Date() }, { prefix });
}
