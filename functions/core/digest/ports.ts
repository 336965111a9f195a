/** Digests, rendered once at publish and kept for their sends and their web version. */

/** A digest rendered once; per-recipient tokens in html/text are filled at send time. */
export interface Digest {
  id: string;
  createdAt: string;
  /**
   * Where the next digest starts: it holds the articles placed (StoredArticle.placed) after
   * this instant. Every article placed at or before it was carried by this digest or an
   * earlier one, so nothing falls between two digests.
   */
  cutoff: string;
  /** Every article it carried, as a card or in its "Also published" list, newest placed first. */
  articleSlugs: string[];
  /**
   * The feed ids of the same articles: an article already mailed is never mailed again, even
   * when an edit moves its date past a later cutoff. Absent on digests made before it was kept.
   */
  articleIds?: string[];
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /**
   * 'content': rendered by a send for readers whose email holds other articles (their topics,
   * their cadence) or the full articles: kept for the send, never listed, no page on the site.
   */
  kind?: 'content';
  /** How the articles are shown: 'summary' (the default, as every digest did) or 'full'. */
  format?: 'summary' | 'full';
}

export interface DigestStore {
  /** Creates the digest unless one with the same id exists; returns the stored one either way. */
  create(digest: Digest): Promise<Digest>;
  get(id: string): Promise<Digest | undefined>;
  /** The digest with the newest cutoff (contents are never listed). */
  latest(): Promise<Digest | undefined>;
  /** Every digest, newest first, without html/text bodies. */
  list(): Promise<Array<Omit<Digest, 'html' | 'text'>>>;
}
