/**
 * The ports: what the core needs from the outside world. Adapters in functions/adapters
 * implement them; the core never imports an adapter.
 */
import type { Article, StoredArticle } from './article.js';

/** A complete object ready to be written to the site bucket. */
export interface OutputObject {
  key: string;
  body: string;
  contentType: string;
  cacheControl: string;
}

export interface StoredObject {
  key: string;
  body: Uint8Array;
  contentType: string;
  cacheControl?: string;
  etag: string;
  lastModified: Date;
}

export interface ObjectStore {
  put(object: OutputObject): Promise<void>;
  /** undefined when the key does not exist; 'not-modified' when a condition says the caller's copy is current. */
  get(key: string, conditions?: { ifNoneMatch?: string; ifModifiedSince?: Date }): Promise<StoredObject | 'not-modified' | undefined>;
  /** Deleting a missing key is not an error. */
  delete(keys: string[]): Promise<void>;
  list(prefix?: string): AsyncIterable<{ key: string; etag: string; size: number }>;
}

/** An article's fields as written by a caller; the store adds the version. */
export type ArticleInput = Article & { source?: string; sourceHash?: string };

/**
 * A note that an article changed since the last publish, with every tag it had before
 * or after the change, so a publish can rebuild exactly what the change touched.
 */
export interface ChangeMarker {
  slug: string;
  tags: string[];
  /** Opaque; clearing a marker succeeds only if it was not touched again meanwhile. */
  token: string;
}

export interface ArticlePage {
  items: StoredArticle[];
  cursor?: string;
}

export interface ArticleStore {
  get(slug: string): Promise<StoredArticle | undefined>;
  /** Fails with a 'conflict' PressrunError when the slug exists. */
  create(article: ArticleInput): Promise<StoredArticle>;
  /** Fails with a 'conflict' PressrunError unless the stored version equals expectedVersion. */
  update(article: ArticleInput, expectedVersion: number): Promise<StoredArticle>;
  /** Returns the deleted article; 'conflict' on a version mismatch when expectedVersion is given. */
  delete(slug: string, expectedVersion?: number): Promise<StoredArticle | undefined>;
  /** Every article, drafts included, ordered by slug, a page at a time. */
  list(options: { limit: number; cursor?: string }): Promise<ArticlePage>;
  /**
   * Non-draft articles with `after < published <= before`, newest first, at most `limit`,
   * optionally only those carrying `tag`.
   */
  latest(options: { limit: number; before: Date; after?: Date; tag?: string }): Promise<StoredArticle[]>;
  /** Every non-draft article published at or before `before`, newest first, a page at a time. */
  allPublished(before: Date): AsyncIterable<StoredArticle[]>;
  /** Changes not yet published. */
  pendingChanges(): Promise<ChangeMarker[]>;
  /** Removes markers whose token is unchanged; a marker touched again stays for the next publish. */
  clearChanges(markers: ChangeMarker[]): Promise<void>;
}

/** Content hashes of the objects the last publish wrote, by object key. */
export interface ManifestStore {
  get(keys: string[]): Promise<Map<string, string>>;
  all(): Promise<Map<string, string>>;
  put(entries: Array<{ key: string; hash: string }>): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

export interface PublishReport {
  /** true when every output was rebuilt (first publish, or asked for). */
  full: boolean;
  written: string[];
  unchanged: number;
  deleted: string[];
  digest?: { id: string; articles: number; htmlBytes: number };
  durationMs: number;
}

export type PublishRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface PublishRun {
  id: string;
  status: PublishRunStatus;
  requestedAt: string;
  startedAt?: string;
  finishedAt?: string;
  report?: PublishReport;
  error?: string;
}

export interface PublishRunStore {
  create(run: PublishRun): Promise<void>;
  get(id: string): Promise<PublishRun | undefined>;
  update(run: PublishRun): Promise<void>;
  /** The time of the last publish that succeeded, used to find articles that became due since. */
  lastSucceededAt(): Promise<string | undefined>;
  setLastSucceededAt(at: string): Promise<void>;
}

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

/** Starts a queued publish run: in-process locally, an asynchronous Lambda invoke in the cloud. */
export interface PublishTrigger {
  trigger(runId: string): Promise<void>;
}
