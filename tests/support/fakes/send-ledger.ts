/**
 * The send ledger in memory, held to DynamoSendLedger by tests/support/contracts/send-ledger.contract.ts.
 * Each call is one atomic step, as each of the adapter's single-item conditional writes is;
 * leases compare ISO timestamps, as the adapter's conditions do.
 */
import { stateOf } from '../../../functions/core/delivery/batch-state.js';
import { conflict } from '../../../functions/core/errors.js';
import type {
  BatchState,
  RecipientResult,
  SendBatch,
  SendBatchRef,
  SendCounts,
  SendJob,
  SendLedger,
  SendRecipient,
  SnapshotTotals,
} from '../../../functions/core/delivery/ports.js';

const iso = (date: Date) => date.toISOString();
const zero: SendCounts = { sent: 0, bounces: 0, complaints: 0 };
const batchKey = (ref: SendBatchRef) => `${ref.digestId}\u0000${ref.batch}`;
/** The job's snapshot under its digest's id, a segment's beside it. */
const snapshotKey = (digestId: string, segment?: number) => (segment === undefined ? digestId : `${digestId}\u0000segment\u0000${segment}`);

export class InMemorySendLedger implements SendLedger {
  private readonly jobs = new Map<string, SendJob>();
  private readonly sendBatches = new Map<string, SendBatch>();

  async openJob(digestId: string, owner: string, now: Date, leaseUntil: Date, segment?: number): Promise<{ job: SendJob; owned: boolean }> {
    const key = snapshotKey(digestId, segment);
    const existing = this.jobs.get(key);
    if (!existing) {
      const job: SendJob = {
        digestId,
        ...(segment === undefined ? {} : { segment }),
        status: 'snapshotting',
        createdAt: iso(now),
        updatedAt: iso(now),
        owner,
        leaseUntil: iso(leaseUntil),
      };
      this.jobs.set(key, job);
      return { job: { ...job }, owned: true };
    }
    if (existing.status !== 'snapshotting' || existing.leaseUntil > iso(now)) return { job: { ...existing }, owned: false };
    // The snapshot's owner went quiet: take it over.
    Object.assign(existing, { owner, leaseUntil: iso(leaseUntil), updatedAt: iso(now) });
    return { job: { ...existing }, owned: true };
  }

  async pauseSnapshot(digestId: string, owner: string, cursor: string, now: Date, segment?: number): Promise<void> {
    const job = this.snapshotHeld(digestId, owner, segment);
    Object.assign(job, { cursor, leaseUntil: iso(now), updatedAt: iso(now) });
  }

  async splitSnapshot(digestId: string, owner: string, segments: number, now: Date): Promise<SendJob> {
    const job = this.snapshotHeld(digestId, owner);
    Object.assign(job, { segments, leaseUntil: iso(now), updatedAt: iso(now) });
    return structuredClone(job);
  }

  async segments(digestId: string): Promise<SendJob[]> {
    return [...this.jobs.values()]
      .filter((job) => job.digestId === digestId && job.segment !== undefined)
      .sort((a, b) => a.segment! - b.segment!)
      .map((job) => structuredClone(job));
  }

  /** The snapshot `owner` still holds, or the adapter's 'conflict'. */
  private snapshotHeld(digestId: string, owner: string, segment?: number): SendJob {
    const job = this.jobs.get(snapshotKey(digestId, segment));
    if (!job || job.owner !== owner || job.status !== 'snapshotting') {
      throw conflict(`Another caller took over the snapshot of digest "${digestId}"`, [
        { field: 'owner', message: 'no longer owns the snapshot' },
      ]);
    }
    return job;
  }

  async getJob(digestId: string): Promise<SendJob | undefined> {
    const job = this.jobs.get(digestId);
    return job && structuredClone(job);
  }

  async completeSnapshot(digestId: string, owner: string, totals: SnapshotTotals, now: Date, segment?: number): Promise<SendJob> {
    const job = this.snapshotHeld(digestId, owner, segment);
    Object.assign(job, { status: 'queued', recipients: totals.recipients, batches: totals.batches, updatedAt: iso(now) });
    job.contents = totals.contents ?? totals.contentIds?.length ?? 1;
    if (totals.contentIds) job.contentIds = [...totals.contentIds];
    return structuredClone(job);
  }

  async stopJob(digestId: string, reason: string, now: Date): Promise<void> {
    const job = this.jobs.get(digestId);
    if (job && !job.stopped) Object.assign(job, { stopped: { reason, at: iso(now) }, updatedAt: iso(now) });
  }

  async resumeJob(digestId: string, now: Date): Promise<void> {
    const job = this.jobs.get(digestId);
    if (job?.stopped) {
      delete job.stopped;
      job.baseline = { ...zero, ...job.counts };
      job.updatedAt = iso(now);
    }
  }

  async count(digestId: string, add: Partial<SendCounts>): Promise<void> {
    const job = this.jobs.get(digestId);
    if (!job) return;
    const counts = { ...zero, ...job.counts };
    for (const key of Object.keys(counts) as Array<keyof SendCounts>) counts[key] += add[key] ?? 0;
    job.counts = counts;
  }

  async addBatch(batch: { digestId: string; batch: number; recipients: SendRecipient[] }): Promise<void> {
    const key = batchKey(batch);
    if (this.sendBatches.has(key)) {
      throw conflict(`Batch ${batch.batch} of digest "${batch.digestId}" exists`, [
        { field: 'batch', message: 'is already in the ledger' },
      ]);
    }
    this.sendBatches.set(key, {
      digestId: batch.digestId,
      batch: batch.batch,
      status: 'pending',
      recipients: structuredClone(batch.recipients),
      results: {},
      claims: 0,
    });
  }

  async getBatch(ref: SendBatchRef): Promise<SendBatch | undefined> {
    const batch = this.sendBatches.get(batchKey(ref));
    return batch && structuredClone(batch);
  }

  async batchStates(digestId: string): Promise<BatchState[]> {
    return (await this.batches(digestId)).map(stateOf);
  }

  async batches(digestId: string, range?: { first: number; last: number }): Promise<SendBatch[]> {
    return [...this.sendBatches.values()]
      .filter((batch) => batch.digestId === digestId && (!range || (batch.batch >= range.first && batch.batch <= range.last)))
      .sort((a, b) => a.batch - b.batch)
      .map((batch) => structuredClone(batch));
  }

  async claim(ref: SendBatchRef, claimId: string, now: Date, leaseUntil: Date): Promise<SendBatch | undefined> {
    const batch = this.sendBatches.get(batchKey(ref));
    if (!batch) return undefined;
    const free = batch.status === 'pending' || (batch.status === 'sending' && (batch.leaseUntil ?? '') <= iso(now));
    if (!free) return undefined;
    Object.assign(batch, { status: 'sending', claimId, leaseUntil: iso(leaseUntil), claims: batch.claims + 1 });
    return structuredClone(batch);
  }

  async markAttempting(ref: SendBatchRef, claimId: string, recipientIds: string[], now: Date, leaseUntil: Date): Promise<void> {
    const batch = this.held(ref, claimId);
    for (const id of recipientIds) batch.results[id] = { status: 'attempting', at: iso(now) };
    batch.leaseUntil = iso(leaseUntil);
  }

  async recordAndMark(
    ref: SendBatchRef,
    claimId: string,
    previous: { results: Record<string, RecipientResult>; notSent: string[] },
    recipientIds: string[],
    now: Date,
    leaseUntil: Date,
  ): Promise<void> {
    const batch = this.held(ref, claimId);
    Object.assign(batch.results, structuredClone(previous.results));
    for (const id of previous.notSent) delete batch.results[id];
    for (const id of recipientIds) batch.results[id] = { status: 'attempting', at: iso(now) };
    batch.leaseUntil = iso(leaseUntil);
  }

  /** Nothing to record is no write at all, so it succeeds whoever holds the batch (as the adapter's early return does). */
  async record(ref: SendBatchRef, claimId: string, results: Record<string, RecipientResult>, notSent: string[] = []): Promise<void> {
    if (Object.keys(results).length === 0 && notSent.length === 0) return;
    const batch = this.held(ref, claimId);
    Object.assign(batch.results, structuredClone(results));
    for (const id of notSent) delete batch.results[id];
  }

  async finish(ref: SendBatchRef, claimId: string, last?: { results: Record<string, RecipientResult>; notSent: string[] }): Promise<void> {
    const batch = this.held(ref, claimId);
    Object.assign(batch.results, structuredClone(last?.results ?? {}));
    for (const id of last?.notSent ?? []) delete batch.results[id];
    this.settle(batch, 'sent');
  }

  async release(ref: SendBatchRef, claimId: string): Promise<void> {
    this.settle(this.held(ref, claimId), 'pending');
  }

  private settle(batch: SendBatch, status: 'sent' | 'pending'): void {
    batch.status = status;
    delete batch.claimId;
    delete batch.leaseUntil;
  }

  /** The batch while `claimId` holds it; a 'conflict' once another worker took it over. */
  private held(ref: SendBatchRef, claimId: string): SendBatch {
    const batch = this.sendBatches.get(batchKey(ref));
    if (!batch || batch.status !== 'sending' || batch.claimId !== claimId) {
      throw conflict(`Batch ${ref.batch} of digest "${ref.digestId}" is no longer held by this worker`, [
        { field: 'claimId', message: 'was taken over after its lease ran out' },
      ]);
    }
    return batch;
  }
}
