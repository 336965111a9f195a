/** Digests, rendered once at publish and kept for their sends and their web version. */

/** A digest rendered once; per-recipient tokens in html/text are filled at send time. */
export interface Digest {
  id: string;
  createdAt: string;
  /** The newest `published` among its articles; the next digest takes articles after it. */
  cutoff: string;
  articleSlugs: string[];
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

export interface DigestStore {
  /** Creates the digest unless one with the same id exists; returns the stored one either way. */
  create(digest: Digest): Promise<Digest>;
  get(id: string): Promise<Digest | undefined>;
  /** The digest with the newest cutoff. */
  latest(): Promise<Digest | undefined>;
  /** Every digest, newest first, without html/text bodies. */
  list(): Promise<Array<Omit<Digest, 'html' | 'text'>>>;
}
