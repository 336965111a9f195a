/**
 * The snapshot's loop, for a whole send and for one segment of it alike: confirmed readers
 * read a page at a time, planned (plan-round.ts), and written as batches. Batches written by an
 * earlier, crashed run stand: their readers are not taken again. Given the invocation's time,
 * it stops at a page boundary with everything read so far in written batches.
 */
import { notFound } from '../errors.js';
import type { Digest, DigestStore } from '../digest/ports.js';
import type { ConfirmedRange, SubscriberStore } from '../subscribers/ports.js';
import { SendPlan, type RoundDeps } from './plan-round.js';
import { isRound, roundInstant } from './round-id.js';
import type { SendBatch, SendJob, SendLedger, SendRecipient } from './ports.js';
import { planBatches } from './batches.js';
import type { TimeBudget } from './send-batch.js';

/** Time kept back at the end of an invocation when planning: a page of readers, its marks and its batches. */
export const PLAN_RESERVE_MS = 20_000;

export interface SnapshotScope {
  digestId: string;
  /** Which readers: the whole index, or a segment's range; `after`, where an earlier run paused. */
  readers: ConfirmedRange;
  /** The batches this scope wrote before (a crashed or paused run), and the numbers it may use. */
  existing: SendBatch[];
  numbers: { first: number; last: number };
  size: number;
}

export interface SnapshotResult {
  /** Readers in this scope's batches, those of earlier runs included. */
  recipients: number;
  /** Set when the time ran out: the last reader planned; the next run goes on after it. */
  pausedAfter?: string;
}

export async function snapshotReaders(
  deps: { subscribers: Pick<SubscriberStore, 'confirmed'>; ledger: Pick<SendLedger, 'addBatch'> },
  plan: SendPlan,
  scope: SnapshotScope,
  budget?: TimeBudget,
): Promise<SnapshotResult> {
  const { digestId, size } = scope;
  const taken = new Set(scope.existing.flatMap((b) => b.recipients.map((r) => r.id)));
  let next = scope.existing.reduce((max, b) => Math.max(max, b.batch), scope.numbers.first - 1) + 1;
  let buffer: SendRecipient[] = [];
  let recipients = taken.size;
  const flush = async (all: boolean) => {
    const full = all ? buffer.length : buffer.length - (buffer.length % size);
    for (const planned of planBatches(buffer.slice(0, full), next, size)) {
      if (planned.batch > scope.numbers.last)
        throw new RangeError(
          `The send of "${digestId}" needs more than the ${scope.numbers.last - scope.numbers.first + 1} batches it may number`,
        );
      await deps.ledger.addBatch({ digestId, ...planned });
      next = planned.batch + 1;
    }
    buffer = buffer.slice(full);
  };
  for await (const page of deps.subscribers.confirmed(scope.readers)) {
    const planned = await plan.assign(page.filter((subscriber) => !taken.has(subscriber.id)));
    for (const recipient of planned) taken.add(recipient.id);
    buffer.push(...planned);
    recipients += planned.length;
    if (buffer.length >= size) await flush(false);
    if (budget && budget.timeLeftMs() < PLAN_RESERVE_MS && page.length > 0) {
      // Everything read so far in written batches, so the cursor can say so.
      await flush(true);
      return { recipients, pausedAfter: page.at(-1)!.id };
    }
  }
  await flush(true);
  return { recipients };
}

/** Batches a worker should be given: not finished, and not held by a live claim. */
export function unfinished<B extends Pick<SendBatch, 'status' | 'leaseUntil'>>(batches: B[], now: Date): B[] {
  return batches.filter((b) => b.status === 'pending' || (b.status === 'sending' && Date.parse(b.leaseUntil ?? '') <= now.getTime()));
}

/** The digest a send is of, or the instant of a round; 'not-found' for neither. */
export async function sendOf(deps: { digests: Pick<DigestStore, 'get'> }, sendId: string): Promise<{ digest?: Digest; at?: Date }> {
  const at = isRound(sendId) ? roundInstant(sendId) : undefined;
  if (at) return { at };
  const digest = await deps.digests.get(sendId);
  if (!digest || digest.kind === 'content') throw notFound(`No digest has the id "${sendId}"`);
  return { digest };
}

/** The plan of a send's emails (plan-round.ts), as every run of its snapshot, whole or a segment, opens it alike. */
export async function openPlan(
  deps: { rounds?: RoundDeps },
  digestId: string,
  job: SendJob,
  send: { digest?: Digest; at?: Date },
): Promise<SendPlan> {
  if (!deps.rounds) throw new Error('This process plans no sends: it was given no RoundDeps');
  return SendPlan.open(deps.rounds, { id: digestId, at: send.at ?? new Date(job.createdAt), ...send });
}

/** The distinct contents the readers of `batches` are mailed. */
export function contentsOf(batches: readonly SendBatch[], digestId: string): string[] {
  return [...new Set(batches.flatMap((b) => b.recipients.map((r) => r.content ?? digestId)))];
}
