import { invalid } from '../errors.js';
import type { SiteConfig } from '../site.js';
import type { ArticleContext, ArticleDefaults } from './article-input.js';

/** What the file parsers need besides the file. */
export interface ArticleFileContext {
  site: SiteConfig;
  now: Date;
  /** A date to use when neither the front matter nor the file name gives one (e.g. the stored article's, on an edit). */
  defaults?: ArticleDefaults;
  /**
   * Whether a date is required (default true): a content file without one would get a new
   * date, and move in the feeds, every time it is imported. Pass false for Markdown sent to
   * the API, where a missing date means "now".
   */
  requirePublished?: boolean;
}

export interface ArticleFile {
  /** The file's path, used in error messages and for its date prefix. */
  name: string;
  text: string;
}

const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})-/;

/** The `YYYY-MM-DD` a file's base name starts with (as in `2025-04-22-talks.txt`), if any. */
export function dateFromFileName(name: string): string | undefined {
  return DATE_PREFIX.exec(baseName(name))?.[1];
}

/** The lower-case extension of a file name with its dot, e.g. ".md"; empty when it has none. */
export function extensionOf(name: string): string {
  return /\.[^.]+$/.exec(baseName(name))?.[0].toLowerCase() ?? '';
}

/** The articleFromInput context for a file: its name for messages, and the file-name date as a fallback. */
export function fileArticleContext(name: string, ctx: ArticleFileContext): ArticleContext {
  const published = dateFromFileName(name) ?? ctx.defaults?.published;
  const defaults: ArticleDefaults = { ...ctx.defaults, ...(published === undefined ? {} : { published }) };
  return {
    site: ctx.site,
    now: ctx.now,
    source: name,
    defaults,
    requirePublished: ctx.requirePublished ?? true,
  };
}

/** A file's text comes after its front matter; a `body:` or `html:` field there would be silently overwritten. */
export function refuseBodyInFrontMatter(data: Record<string, unknown>, name: string): void {
  const misplaced = ['body', 'html'].filter((field) => Object.hasOwn(data, field));
  if (misplaced.length > 0) {
    throw invalid(
      `${name}: the article text goes after the front matter, not in a field`,
      misplaced.map((field) => ({ field, message: 'is not allowed in front matter; write the text after the closing ---' })),
    );
  }
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() ?? '';
}
