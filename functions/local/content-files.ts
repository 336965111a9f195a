/** Reads article files from a folder, named by their path relative to the project root. */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { ARTICLE_FILE_EXTENSIONS } from '../core/content/parse-file.js';
import { articleFileFromBytes } from '../core/content/article-file.js';
import type { ArticleFile } from '../core/content/import-articles.js';

export async function readArticleFiles(dir: string, root: string): Promise<ArticleFile[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && (ARTICLE_FILE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return Promise.all(files.map(async (path) => articleFileFromBytes(relative(root, path), await readFile(path))));
}
