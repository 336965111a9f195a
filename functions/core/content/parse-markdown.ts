import type { Article } from '../article.js';
import { articleFromInput } from './article-input.js';
import { fileArticleContext, refuseBodyInFrontMatter, type ArticleFile, type ArticleFileContext } from './article-file.js';
import { splitFrontMatter } from './front-matter.js';

/**
 * An article from a Markdown file with optional YAML front matter. The date comes from the front
 * matter (`published` or `date`), else from a `YYYY-MM-DD-` file-name prefix; without either the
 * error names the file and `published`.
 */
export function parseMarkdownArticle(file: ArticleFile, ctx: ArticleFileContext): Article {
  const { data = {}, body } = splitFrontMatter(file.text, file.name);
  refuseBodyInFrontMatter(data, file.name);
  return articleFromInput({ ...data, body }, fileArticleContext(file.name, ctx));
}
