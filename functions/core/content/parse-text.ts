import type { Article } from '../article.js';
import { invalid } from '../errors.js';
import { articleFromInput } from './article-input.js';
import { fileArticleContext, refuseBodyInFrontMatter, type ArticleFile, type ArticleFileContext } from './article-file.js';
import { splitFrontMatter } from './front-matter.js';

/**
 * A trailing line a scraper picked up from the page around an article: links to the neighbouring
 * posts ("Previous Post Next Post", "← Older posts") and share or related-posts widgets
 * ("Share this:", "Related Posts"). Only lines at the very end are dropped, so these words
 * inside an article are kept.
 */
const NAVIGATION_LINE =
  /^[\s|·•«»‹›←→<>:–—-]*(?:(?:(?:previous|next|older|newer)\s+(?:posts?|articles?|entry|entries|story|stories)|share\s+this|related\s+(?:posts|articles|stories))[\s|·•«»‹›←→<>:–—-]*)+$/i;

/**
 * An article from a plain-text file. Optional front matter; without a `title` there, the first
 * non-empty line is the title. Blank lines separate paragraphs; the lines of a paragraph are
 * joined with spaces (plain text is usually hard-wrapped). The date comes from the front matter,
 * else from a `YYYY-MM-DD-` file-name prefix.
 */
export function parseTextArticle(file: ArticleFile, ctx: ArticleFileContext): Article {
  const { data = {}, body } = splitFrontMatter(file.text, file.name);
  refuseBodyInFrontMatter(data, file.name);

  let lines = withoutTrailingNavigation(body.split('\n'));
  const fields: Record<string, unknown> = { ...data };
  if (data.title === undefined || data.title === null) {
    const titleLine = lines.findIndex((line) => line.trim() !== '');
    if (titleLine === -1) throw invalid(`${file.name}: the file has no text`, [{ field: 'title', message: 'is required' }]);
    fields.title = lines[titleLine]!.trim();
    lines = lines.slice(titleLine + 1);
  }

  const paragraphs = paragraphsOf(lines);
  if (paragraphs.length === 0) {
    throw invalid(`${file.name}: the article has no text after its title`, [{ field: 'body', message: 'must not be empty' }]);
  }
  fields.html = paragraphs.map((p) => `<p>${escapeText(p)}</p>`).join('\n');
  return articleFromInput(fields, fileArticleContext(file.name, ctx));
}

function withoutTrailingNavigation(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && (lines[end - 1]!.trim() === '' || NAVIGATION_LINE.test(lines[end - 1]!))) end--;
  return lines.slice(0, end);
}

function paragraphsOf(lines: string[]): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of [...lines, '']) {
    if (line.trim() !== '') {
      current.push(line.trim());
    } else if (current.length > 0) {
      paragraphs.push(current.join(' '));
      current = [];
    }
  }
  return paragraphs;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
