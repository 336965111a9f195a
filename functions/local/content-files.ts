/** Reads article files from a folder, named by their path relative to the project root. */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { articleFileFromBytes } from '../core/content/article-file.js';
import { ARTICLE_FILE_EXTENSIONS } from '../core/content/parse-file.js';
import type { ArticleFile } from '../core/content/import-articles.js';

/**
 * Every article file under `dir`. Files and folders whose name starts with a dot are left out,
 * as in most site generators: what other programs keep there is not meant to be published (a
 * note app's `.trash/`, macOS's `._name.md` companions on shared drives, a `.git/`).
 */
export async function readArticleFiles(dir: string, root: string): Promise<ArticleFile[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && (ARTICLE_FILE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (path) =>
        !relative(dir, path)
          .split(sep)
          .some((part) => part.startsWith('.')),
    )
    .sort();
  return Promise.all(files.map(async (path) => articleFileFromBytes(relative(root, path), await readFile(path))));
}
