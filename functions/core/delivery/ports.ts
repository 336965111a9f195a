/** A digest's send: the ledger of its batches, the queue that hands them to workers, and single queued mails. */
import type { MailMessage } from '../mail/ports.js';
import type { SubscribeRequest } from '../subscribers/ports.js';

/**
 * A single mail the API hands to the send worker (a confirmation, a test copy): the message
 * as the API made it, under an id that lets the worker send it at most once.
 */
export interface QueuedMail {
  id: string;
  message: MailMessage;
}

/** A subscription request the API queued, under an id that lets the worker carry it out at most once. */
export interface QueuedSubscribeRequest extends SubscribeRequest {
  id: string;
}

/** Which queued mails (and subscription requests) a worker has taken on; claiming one twice is refused, so a redelivered message is not mailed again. */
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
  /**
   * Hands batches to workers; delivering one twice is harmless (the ledger's claim decides).
   * `delaySeconds` (at most 900) holds them back that long: how a worker hands back a batch it
   * could not finish without spending one of the message's receives.
   */
  enqueue(batches: SendBatchRef[], options?: { delaySeconds?: number }): Promise<void>;
}

/** Hands the planning of a digest's send (the snapshot of its readers into batches) to a worker, where the time is. */
export interface SendPlanner {
  /** The whole send (a worker opens it, and hands out its segments where it plans in them), or one of its segments (segments.ts). */
  plan(digestId: string, segment?: number): Promise<void>;
}

/**
 * A digest's send: snapshotting subscribers into batches, then queued (every batch enqueued).
 * A send planned in segments (segments.ts) has one of these for each segment besides, its
 * `segment` set: the segment's own snapshot, `queued` once its batches are.
 */
export interface SendJob {
  digestId: string;
  /** Set on the snapshot of one segment of the send. */
  segment?: number;
  /** Set on the send's job when its readers are planned in this many segments, each by a worker (plan-segments.ts). */
  segments?: number;
  status: 'snapshotting' | 'queued';
  createdAt: string;
  updatedAt: string;
  /** Who is snapshotting, and until when; another caller takes over only after the lease ran out. */
  owner: string;
  leaseUntil: string;
  /**
   * Where a snapshot paused (its invocation's time ran out): every confirmed reader whose id
   * is at most this one is planned, in a written batch or not in this send. The next start
   * goes on after it.
   */
  cursor?: string;
  /** Set once queued. */
  recipients?: number;
  /** How many distinct contents the readers' emails hold (each compiled once). */
  contents?: number;
  /** On a segment's snapshot: the contents its readers' emails hold, so the send counts each once. */
  contentIds?: string[];
  batches?: number;
  /**
   * Set when a worker found that the provider refuses to send for this deployment (access
   * denied, an unverified sender), or that the send's bounce or complaint rate passed its
   * guardrail: the send waits for an operator, who looks into it and resumes the send
   * (resumeDigestSend), which clears it.
   */
  stopped?: { reason: string; at: string };
  /**
   * What the send's guardrails count: messages the provider accepted (the worker adds each
   * batch's), and the hard bounces and complaints SES reported for them (the SES events
   * function adds each). Absent until the first count.
   */
  counts?: SendCounts;
  /** The counts when the send was last resumed: its rates are counted from there. */
  baseline?: SendCounts;
}

/** What a snapshot planned: readers, batches, and the contents their emails hold (a count, or the ids on a segment). */
export interface SnapshotTotals {
  recipients: number;
  batches: number;
  contents?: number;
  contentIds?: string[];
}

export interface SendCounts {
  sent: number;
  bounces: number;
  complaints: number;
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
  /**
   * The content this reader's email carries (a Digest record: the send's digest, or a content
   * rendered for readers whose email holds other articles or another format); the send's
   * digest when absent. Its `articleIds` are the articles the email carried: the per-reader ledger.
   */
  content?: string;
}

/**
 * Where a reader's mail stands: their next email holds what was placed after `through` (apart
 * from `carried`), matching their topics. Written when a send plans the reader in, before
 * their batch, with the window it planned (`send`, `from`, `fromCarried`, `to`), so a planning
 * re-run after a crash makes the reader the same email instead of the next one.
 */
export interface ReaderMark {
  /** The articles placed at or before this were in one of the reader's emails, or were not theirs when it was made. */
  through: string;
  /** Placed after `through` but carried all the same (an email cut at a placement several articles share). */
  carried?: string[];
  /** The send that last planned the reader, when, and the window it planned. */
  send: string;
  at: string;
  from?: string;
  fromCarried?: string[];
  to: string;
  /** The subscription it belongs to (Subscriber.generation): a new subscription of the address starts afresh. */
  generation: number;
}

/** The marks of readers, and where each mailed article was placed when it was first mailed. */
export interface DeliveryMarks {
  readers(ids: string[]): Promise<Map<string, ReaderMark>>;
  /** Writes the marks (no condition: one send plans a reader at a time, under its snapshot lease). */
  setReaders(marks: Array<{ id: string; mark: ReaderMark }>): Promise<void>;
  /**
   * Where each article was placed when a send first carried it. An edit may move an article's
   * placement later (StoredArticle.placed); mail goes by this one, so an edited article is never
   * mailed again to a reader whose window passed it.
   */
  offered(articleIds: string[]): Promise<Map<string, string>>;
  /** Records each article's placement unless one is recorded: the first stands. */
  offer(entries: Array<{ id: string; placed: string }>): Promise<void>;
  /** When the last round of the per-article, daily and weekly readers was planned. */
  lastTick(): Promise<string | undefined>;
  setLastTick(at: string): Promise<void>;
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

/** A batch as a send's progress reads it: its state and how many of its recipients have which result, without the recipients. */
export interface BatchState {
  batch: number;
  status: SendBatch['status'];
  leaseUntil?: string;
  /** How many recipients it holds. */
  size: number;
  /** Its recipients with a final result, by result; the others are still to be (or being) handed to the provider. */
  tally: Record<RecipientStatus, number>;
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
   * With `segment`, the same for that segment's snapshot.
   */
  openJob(digestId: string, owner: string, now: Date, leaseUntil: Date, segment?: number): Promise<{ job: SendJob; owned: boolean }>;
  getJob(digestId: string): Promise<SendJob | undefined>;
  /** Marks the job (or `segment`'s snapshot) queued with its totals; 'conflict' unless `owner` still owns it. */
  completeSnapshot(digestId: string, owner: string, totals: SnapshotTotals, now: Date, segment?: number): Promise<SendJob>;
  /**
   * Pauses a snapshot `owner` holds (the job's, or `segment`'s): records where it got to
   * (SendJob.cursor) and ends its lease, so the next start takes it over at once; 'conflict'
   * unless `owner` still holds it.
   */
  pauseSnapshot(digestId: string, owner: string, cursor: string, now: Date, segment?: number): Promise<void>;
  /**
   * Records that the job `owner` holds is planned in `segments` segments (SendJob.segments), and
   * ends its lease: from here on, whoever finds every segment queued completes it. 'conflict'
   * unless `owner` still holds it.
   */
  splitSnapshot(digestId: string, owner: string, segments: number, now: Date): Promise<SendJob>;
  /** The snapshots of the send's segments that were opened, in segment order. */
  segments(digestId: string): Promise<SendJob[]>;
  /** Stops the whole send until it is resumed (SendJob.stopped); the first reason stands. */
  stopJob(digestId: string, reason: string, now: Date): Promise<void>;
  /** Clears a stop, so the send's batches may be sent again, and takes the counts as they are as the new baseline. */
  resumeJob(digestId: string, now: Date): Promise<void>;
  /** Adds to the job's counts in one atomic write; nothing for a job that does not exist. */
  count(digestId: string, add: Partial<SendCounts>): Promise<void>;
  /** Records a new pending batch; 'conflict' if that batch number exists. */
  addBatch(batch: { digestId: string; batch: number; recipients: SendRecipient[] }): Promise<void>;
  getBatch(ref: SendBatchRef): Promise<SendBatch | undefined>;
  /**
   * Every batch of a digest, in batch order, as its progress reads it: a read that stays small
   * at a million readers (20,000 batches), where `batches` reads every recipient and result.
   */
  batchStates(digestId: string): Promise<BatchState[]>;
  /** Every batch of a digest, in batch order; with `range`, those numbered from `first` to `last`. */
  batches(digestId: string, range?: { first: number; last: number }): Promise<SendBatch[]>;
  /**
   * pending → sending (or a sending batch whose lease ran out → sending again) under
   * `claimId`; undefined when the batch is sent, missing, or held by a live lease.
   */
  claim(ref: SendBatchRef, claimId: string, now: Date, leaseUntil: Date): Promise<SendBatch | undefined>;
  /** Marks recipients as being handed to the provider now, and extends the lease to `leaseUntil`. */
  markAttempting(ref: SendBatchRef, claimId: string, recipientIds: string[], now: Date, leaseUntil: Date): Promise<void>;
  /**
   * Records the results settled since the last write (record) and marks the next recipients
   * attempting (markAttempting), in one write: how a worker marks ahead of its sending.
   */
  recordAndMark(
    ref: SendBatchRef,
    claimId: string,
    previous: { results: Record<string, RecipientResult>; notSent: string[] },
    recipientIds: string[],
    now: Date,
    leaseUntil: Date,
  ): Promise<void>;
  /** Records final results, and forgets the attempts of `notSent` (definitely not accepted; to be sent again). */
  record(ref: SendBatchRef, claimId: string, results: Record<string, RecipientResult>, notSent?: string[]): Promise<void>;
  /** sending → sent, with the last results recorded in the same write (as `record` would). */
  finish(ref: SendBatchRef, claimId: string, last?: { results: Record<string, RecipientResult>; notSent: string[] }): Promise<void>;
  /** sending → pending, keeping results, so the next claim picks up where this one stopped. */
  release(ref: SendBatchRef, claimId: string): Promise<void>;
}
