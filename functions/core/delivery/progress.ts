/**
 * How far a digest's send has come, counted from the ledger itself so it can never drift: each
 * batch's results, counted in the writes that record them (SendLedger.batchStates).
 */
import type { BatchState, SendJob, SendLedger } from './ports.js';

export interface SendProgress {
  digestId: string;
  /**
   * unsent: never started; preparing: snapshotting subscribers, nothing queued yet; sending (a
   * send planned in segments sends each segment's batches while the others are still planned);
   * sent: every batch finished; stopped: see `stopped`.
   */
  status: 'unsent' | 'preparing' | 'sending' | 'sent' | 'stopped';
  /** Why the send stopped (the provider refuses this deployment, or a guardrail) and when; resuming the send clears it. */
  stopped?: { reason: string; at: string };
  recipients: number;
  sent: number;
  failed: number;
  /** Skipped: unsubscribed, bounced or complained after the snapshot. */
  suppressed: number;
  /** Possibly delivered by a worker that stopped before recording it: never resent, to be reviewed. */
  review: number;
  /** Not yet handed to the provider (or being handed right now). */
  pending: number;
  batches: { total: number; sent: number };
  /** While a send planned in segments is still planned: its segments, and how many have queued their batches (the counts above are theirs so far). */
  segments?: { total: number; queued: number };
  startedAt?: string;
}

export function summarize(
  digestId: string,
  job: SendJob | undefined,
  batches: readonly BatchState[],
  segments: readonly SendJob[] = [],
): SendProgress {
  const progress: SendProgress = {
    digestId,
    status: 'unsent',
    recipients: 0,
    sent: 0,
    failed: 0,
    suppressed: 0,
    review: 0,
    pending: 0,
    batches: { total: batches.length, sent: 0 },
  };
  if (!job) return progress;
  progress.startedAt = job.createdAt;
  countResults(progress, batches);
  progress.status = job.status === 'queued' ? (progress.batches.sent === batches.length ? 'sent' : 'sending') : 'preparing';
  if (job.status === 'snapshotting' && job.segments) planningInSegments(progress, job.segments, segments);
  if (job.stopped && progress.status !== 'sent') {
    progress.status = 'stopped';
    progress.stopped = job.stopped;
  }
  return progress;
}

function countResults(progress: SendProgress, batches: readonly BatchState[]): void {
  for (const { status, size, tally } of batches) {
    if (status === 'sent') progress.batches.sent++;
    progress.recipients += size;
    progress.sent += tally.sent;
    progress.failed += tally.failed;
    progress.suppressed += tally.suppressed;
    progress.review += tally.unknown;
    progress.pending += size - tally.sent - tally.failed - tally.suppressed - tally.unknown;
  }
}

/** A send whose segments are still planned is sending once one of them has queued its batches. */
function planningInSegments(progress: SendProgress, total: number, segments: readonly SendJob[]): void {
  progress.segments = { total, queued: segments.filter((s) => s.status === 'queued').length };
  if (progress.segments.queued > 0) progress.status = 'sending';
}

export async function sendProgress(
  deps: { ledger: Pick<SendLedger, 'getJob' | 'batchStates' | 'segments'> },
  digestId: string,
): Promise<SendProgress> {
  const [job, batches] = await Promise.all([deps.ledger.getJob(digestId), deps.ledger.batchStates(digestId)]);
  const segments = job?.status === 'snapshotting' && job.segments ? await deps.ledger.segments(digestId) : [];
  return summarize(digestId, job, batches, segments);
}
