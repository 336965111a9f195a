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
  /**
   * Every `published` date the article had before or after the change, so a publish can find
   * the archive pages that held it. Absent on markers written before markers carried dates.
   */
  published?: string[];
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
  /** The feed URLs the WebSub hub was told about, and why telling it failed (a publish never fails for it). */
  websub?: { pinged: string[]; error?: string };
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

/** Tells a WebSub hub (https://www.w3.org/TR/websub/) that feeds changed, so it fetches and pushes them. */
export interface WebSubPublisher {
  /** Rejects when the hub did not accept every URL; the publish logs it and carries on. */
  publish(topicUrls: string[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Subscribers and delivery (issue 3)
// ---------------------------------------------------------------------------------------

/** pending until the address confirms; bounced and complained are for good. */
export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'bounced' | 'complained';

export interface Subscriber {
  /** Derived from the normalized address (core/subscribers/email.ts), so links carry no address. */
  id: string;
  /** Normalized: trimmed, lower case, domain in ASCII. */
  email: string;
  status: SubscriberStatus;
  /** Where the latest change came from: 'form', 'api', 'one-click', 'ses-event' … */
  source: string;
  createdAt: string;
  updatedAt: string;
  /** When the latest subscription request was made. */
  requestedAt?: string;
  /** Consent: when the address confirmed (with `consentSource`, how the request had come in). */
  confirmedAt?: string;
  consentSource?: string;
  unsubscribedAt?: string;
  /** When a hard bounce or a complaint suppressed the address. */
  suppressedAt?: string;
  /** Optimistic concurrency; 1 after the first write. */
  version: number;
}

export interface SubscriberStore {
  get(id: string): Promise<Subscriber | undefined>;
  /** Strongly consistent reads of many subscribers; missing ids are absent from the map. */
  getMany(ids: string[]): Promise<Map<string, Subscriber>>;
  /**
   * Writes the subscriber if the stored version is still `expectedVersion` (0: it must not
   * exist yet), with the version increased by one; a 'conflict' PressrunError otherwise.
   */
  save(subscriber: Omit<Subscriber, 'version'>, expectedVersion: number): Promise<Subscriber>;
  /** Every confirmed subscriber, a page at a time. */
  confirmed(): AsyncIterable<Array<Pick<Subscriber, 'id' | 'email'>>>;
}

/** One message to one recipient, before MIME encoding (which the Mailer adapters share). */
export interface MailMessage {
  /** An RFC 5322 mailbox, e.g. `"Example News" <digest@news.example.com>`. */
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Further header fields, each written exactly once (List-Unsubscribe, List-Unsubscribe-Post, List-Id …). */
  headers: Record<string, string>;
  /** Provider tags (SES message tags) so bounce events can be traced back. */
  tags?: Record<string, string>;
}

export interface Mailer {
  /**
   * Sends one message. Fails with a MailerError (core/mail/mailer-error.ts) that says whether
   * the provider may have accepted it, which decides between retrying and flagging for review.
   */
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/**
 * A single mail the API hands to the send worker (a confirmation, a test copy): the message
 * as the API made it, under an id that lets the worker send it at most once.
 */
export interface QueuedMail {
  id: string;
  message: MailMessage;
}

/** Which queued mails a worker has taken on; claiming one twice is refused, so a redelivered message is not mailed again. */
export interface MailClaims {
  /** True when this call took the claim, false when it was taken before. */
  claim(mailId: string, now: Date): Promise<boolean>;
  /** Gives a claim back after a send the provider certainly did not accept, so a redelivery may try again. */
  release(mailId: string): Promise<void>;
}

/** A digest's send batch, as queued for a worker. */
export interface SendBatchRef {
  digestId: string;
  /** 1-based. */
  batch: number;
}

export interface Queue {
  /** Hands batches to workers; delivering one twice is harmless (the ledger's claim decides). */
  enqueue(batches: SendBatchRef[]): Promise<void>;
}

/** A digest's send: snapshotting subscribers into batches, then queued (every batch enqueued). */
export interface SendJob {
  digestId: string;
  status: 'snapshotting' | 'queued';
  createdAt: string;
  updatedAt: string;
  /** Who is snapshotting, and until when; another caller takes over only after the lease ran out. */
  owner: string;
  leaseUntil: string;
  /** Set once queued. */
  recipients?: number;
  batches?: number;
}

/** `unknown`: the provider may have accepted the message but its result was never recorded; flagged for review, never resent. */
export type RecipientStatus = 'sent' | 'failed' | 'suppressed' | 'unknown';

export interface RecipientResult {
  /** `attempting` is written just before the provider is called, and replaced right after. */
  status: RecipientStatus | 'attempting';
  at: string;
  messageId?: string;
  error?: string;
}

export interface SendRecipient {
  id: string;
  email: string;
}

export interface SendBatch {
  digestId: string;
  batch: number;
  status: 'pending' | 'sending' | 'sent';
  recipients: SendRecipient[];
  /** By subscriber id; a recipient without an entry was never handed to the provider. */
  results: Record<string, RecipientResult>;
  /** While `sending`: the worker holding the batch, and until when. */
  claimId?: string;
  leaseUntil?: string;
  /** How many times the batch was claimed. */
  claims: number;
}

/**
 * The record of a digest's send: one job and its batches of at most 50 recipients. Every
 * write is a single-item conditional write; writes to a batch name the claim they hold and
 * fail with a 'conflict' PressrunError once another worker has taken the batch over.
 */
export interface SendLedger {
  /**
   * Creates the job owned by `owner`, or takes it over when it is still snapshotting and its
   * lease ran out. `owned` is false when the job exists and belongs to someone else (or is queued).
   */
  openJob(digestId: string, owner: string, now: Date, leaseUntil: Date): Promise<{ job: SendJob; owned: boolean }>;
  getJob(digestId: string): Promise<SendJob | undefined>;
  /** Marks the job queued with its totals; 'conflict' unless `owner` still owns the snapshot. */
  completeSnapshot(digestId: string, owner: string, totals: { recipients: number; batches: number }, now: Date): Promise<SendJob>;
  /** Records a new pending batch; 'conflict' if that batch number exists. */
  addBatch(batch: { digestId: string; batch: number; recipients: SendRecipient[] }): Promise<void>;
  getBatch(ref: SendBatchRef): Promise<SendBatch | undefined>;
  /** Every batch of a digest, in batch order. */
  batches(digestId: string): Promise<SendBatch[]>;
  /**
   * pending → sending (or a sending batch whose lease ran out → sending again) under
   * `claimId`; undefined when the batch is sent, missing, or held by a live lease.
   */
  claim(ref: SendBatchRef, claimId: string, now: Date, leaseUntil: Date): Promise<SendBatch | undefined>;
  /** Marks recipients as being handed to the provider now, and extends the lease to `leaseUntil`. */
  markAttempting(ref: SendBatchRef, claimId: string, recipientIds: string[], now: Date, leaseUntil: Date): Promise<void>;
  /** Records final results, and forgets the attempts of `notSent` (definitely not accepted; to be sent again). */
  record(ref: SendBatchRef, claimId: string, results: Record<string, RecipientResult>, notSent?: string[]): Promise<void>;
  /** sending → sent. */
  finish(ref: SendBatchRef, claimId: string): Promise<void>;
  /** sending → pending, keeping results, so the next claim picks up where this one stopped. */
  release(ref: SendBatchRef, claimId: string): Promise<void>;
}

export interface RateLimiter {
  /**
   * Counts one hit on `key` in the fixed window of `windowSeconds` that holds `now`; not
   * allowed once more than `limit` hits fell in that window.
   */
  hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}
