/** The article model every input is parsed into and every output is rendered from. */

export interface Author {
  name: string;
  email?: string;
  url?: string;
}

export interface ArticleImage {
  /** Absolute URL. */
  url: string;
  alt: string;
  /** MIME type, e.g. image/jpeg; guessed from the extension when not given. */
  type?: string;
  /** Size in bytes; 0 when unknown (RSS enclosures require a length). */
  length?: number;
}

export interface Article {
  /**
   * Stable id used as RSS guid, Atom id and JSON Feed id. Never derived from the
   * site's domain and never changed by an edit: see STANDARDS.md, "Stable ids".
   */
  id: string;
  slug: string;
  title: string;
  summary: string;
  /** Sanitized HTML, with XML-forbidden characters removed. */
  html: string;
  /** The same body as plain text. */
  text: string;
  /** RFC 3339 timestamps in UTC, as produced by Date#toISOString(). */
  published: string;
  updated: string;
  authors: Author[];
  /** Normalized tags: lower case, slug-safe, unique, in the author's order. */
  tags: string[];
  image?: ArticleImage;
  canonicalUrl?: string;
  draft: boolean;
  /** False: published on the site and in the feeds, but never mailed to subscribers. Absent: mailed. */
  email?: false;
}

/** An article as the store keeps it: with the optimistic-concurrency version and where it came from. */
export interface StoredArticle extends Article {
  version: number;
  /** The content file this article was imported from, e.g. "content/2025-04-22-talks.txt". */
  source?: string;
  /** Hash of the input the article was parsed from, so unchanged files import as no-ops. */
  sourceHash?: string;
  /**
   * When the article took its place among the others: its date, or when it was written if that
   * is later (a back-dated article appears when it is written, not in the past). The feeds'
   * latest items, the archive pages and the digests follow this order, so an article that
   * appears late never lands in an archive page already closed. Absent: its date.
   */
  placed?: string;
}

/** A stored article without its body (html, text): what a read of the whole archive needs, at a fraction of the bytes. */
export type ArticleHead = Omit<StoredArticle, 'html' | 'text'>;

/** Where an article stands in the order articles appeared (see StoredArticle.placed). */
export const placedAt = (article: Pick<StoredArticle, 'published' | 'placed'>): string => article.placed ?? article.published;

/** The later of two RFC 3339 timestamps. */
export const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

/** Whether readers may see the article at `now` (ISO string or Date). */
export function isPublished(article: Pick<Article, 'draft' | 'published'>, now: Date): boolean {
  return !article.draft && Date.parse(article.published) <= now.getTime();
}
