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
  /** Where the file's bytes stop being UTF-8 (articleFileFromBytes): such a file is refused, not read with � in it. */
  notUtf8?: { byte: number; line: number; column: number };
}

/** Where a text stops being UTF-8, as a problem's words: "has the byte 0xE9 at line 2, column 14, which is not UTF-8". */
export function notUtf8Problem({ byte, line, column }: NonNullable<ArticleFile['notUtf8']>): string {
  return `has the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at line ${line}, column ${column}, which is not UTF-8`;
}

const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const strict = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

/**
 * A file as read from disk: its bytes as UTF-8 text. A file saved in another encoding (an é
 * in Latin-1 is the lone byte 0xE9) would otherwise be published with � in place of each such
 * character; the first byte that is not UTF-8 is kept, with its line and column, to refuse it.
 */
export function articleFileFromBytes(name: string, bytes: Uint8Array): ArticleFile {
  try {
    return { name, text: strict.decode(bytes) };
  } catch {
    const text = lenient.decode(bytes);
    const encoder = new TextEncoder();
    // Byte offsets are counted on from one U+FFFD to the next, so a text full of them stays linear.
    let [from, offset] = [0, 0];
    for (let at = text.indexOf('\ufffd'); at !== -1; at = text.indexOf('\ufffd', at + 1)) {
      offset += encoder.encode(text.slice(from, at)).length;
      // A real U+FFFD is the three bytes EF BF BD; one that stands for bytes that are not UTF-8 is not.
      if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) {
        const lineStart = text.lastIndexOf('\n', at - 1) + 1;
        const line = text.slice(0, lineStart).split('\n').length;
        return { name, text, notUtf8: { byte: bytes[offset]!, line, column: at - lineStart + 1 } };
      }
      [from, offset] = [at + 1, offset + 3];
    }
    return { name, text };
  }
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
