import type { Article } from '../article.js';
import { PressrunError } from '../errors.js';
import { extensionOf, notUtf8Problem, type ArticleFile, type ArticleFileContext } from './article-file.js';
import { parseMarkdownArticle } from './parse-markdown.js';
import { parseTextArticle } from './parse-text.js';

export type { ArticleFile, ArticleFileContext } from './article-file.js';

/** The extensions of article files, lower case with the dot. */
export const ARTICLE_FILE_EXTENSIONS = ['.md', '.markdown', '.txt'] as const;

const PARSERS: Record<(typeof ARTICLE_FILE_EXTENSIONS)[number], (file: ArticleFile, ctx: ArticleFileContext) => Article> = {
  '.md': parseMarkdownArticle,
  '.markdown': parseMarkdownArticle,
  '.txt': parseTextArticle,
};

/** An article from a content file, parsed as Markdown or plain text by its extension. */
export function parseArticleFile(file: ArticleFile, ctx: ArticleFileContext): Article {
  if (file.notUtf8) {
    const message = `${notUtf8Problem(file.notUtf8)}: save the file as UTF-8`;
    throw new PressrunError('invalid', `${file.name}: ${message}`, [{ field: 'file', message }]);
  }
  const extension = extensionOf(file.name);
  if (!isArticleExtension(extension)) {
    const message = `must end in ${ARTICLE_FILE_EXTENSIONS.join(', ')}`;
    throw new PressrunError('unsupported-media-type', `${file.name}: not an article file; the name ${message}`, [{ field: 'file', message }]);
  }
  return PARSERS[extension](file, ctx);
}

function isArticleExtension(extension: string): extension is (typeof ARTICLE_FILE_EXTENSIONS)[number] {
  return (ARTICLE_FILE_EXTENSIONS as readonly string[]).includes(extension);
}
