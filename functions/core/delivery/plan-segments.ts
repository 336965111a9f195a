/**
 * A send planned in segments (segments.ts), where workers plan it: the start splits the job and
 * hands each segment to a worker; each segment is a snapshot of its own (opened, taken over
 * after its lease, paused and resumed, completed), planned in parallel with the others; it
 * queues its own batches as it completes, so sending starts before the last segment is
 * planned. Whoever finds every segment complete completes the job with their totals.
 *
 * Safe to run again at any step: the job split but a segment never handed out is handed out
 * again by the next start (its lease ended at the split); a segment that crashed is taken over
 * by its message coming again; one that completed is not planned again.
 */
import { conflict } from '../errors.js';
import { segmentBatches, segmentRange } from './segments.js';
import type { SendJob } from './ports.js';
import type { TimeBudget } from './send-batch.js';
import { contentsOf, openPlan, sendOf, snapshotReaders, unfinished } from './snapshot-readers.js';
import type { SendStart, StartSendDeps } from './start-send.js';
import { BATCH_SIZE } from './batches.js';

const DEFAULT_SNAPSHOT_LEASE_MS = 5 * 60_000;

/** The job `owner` holds, split (once) into its segments, and those not yet complete handed to workers. */
export async function handOutSegments(deps: StartSendDeps, job: SendJob, owner: string): Promise<SendStart> {
  if (!deps.planner) throw new Error('This process cannot hand out segments: it was given no SendPlanner');
  const total = job.segments ?? deps.segments!;
  // Split before handing out: a crash in between leaves a job whose lease ended, which the next start hands out.
  const split = await deps.ledger.splitSnapshot(job.digestId, owner, total, deps.now());
  const complete = new Set((await deps.ledger.segments(job.digestId)).filter((s) => s.status === 'queued').map((s) => s.segment));
  const open = Array.from({ length: total }, (_, k) => k).filter((k) => !complete.has(k));
  if (open.length === 0) return completeSegmented(deps, job.digestId);
  for (const segment of open) await deps.planner.plan(job.digestId, segment);
  return { job: split, enqueued: 0, handedOn: true };
}

/**
 * One segment of a split send, planned by a worker: its readers snapshotted into its batches,
 * those queued, the segment completed, and the job too when it was the last. One another worker
 * holds comes back unplanned (not `handedOn`: its message should come again).
 */
export async function planSegment(deps: StartSendDeps, digestId: string, segment: number, budget?: TimeBudget): Promise<SendStart> {
  const send = await sendOf(deps, digestId);
  const job = await deps.ledger.getJob(digestId);
  if (!job?.segments)
    throw conflict(`The send of "${digestId}" is not planned in segments`, [{ field: 'segment', message: 'has no split send' }]);
  if (job.status === 'queued') return { job, enqueued: 0 };
  const owner = deps.newId();
  const now = deps.now();
  const lease = new Date(now.getTime() + (deps.snapshotLeaseMs ?? DEFAULT_SNAPSHOT_LEASE_MS));
  const opened = await deps.ledger.openJob(digestId, owner, now, lease, segment);
  if (!opened.owned) return opened.job.status === 'queued' ? completeSegmented(deps, digestId) : { job, enqueued: 0 };

  const numbers = segmentBatches(segment);
  const existing = await deps.ledger.batches(digestId, numbers);
  const range = segmentRange(segment, job.segments);
  const readers = opened.job.cursor === undefined ? range : { ...range, after: opened.job.cursor };
  const plan = await openPlan(deps, digestId, job, send);
  const scope = { digestId, readers, existing, numbers, size: deps.batchSize ?? BATCH_SIZE };
  const { recipients, pausedAfter } = await snapshotReaders(deps, plan, scope, budget);
  if (pausedAfter !== undefined) {
    await deps.ledger.pauseSnapshot(digestId, owner, pausedAfter, deps.now(), segment);
    await deps.planner!.plan(digestId, segment);
    return { job, enqueued: 0, paused: true, handedOn: true };
  }
  const batches = await deps.ledger.batches(digestId, numbers);
  // Queued before the segment says so: a crash in between only queues them again.
  const queued = unfinished(batches, deps.now());
  await deps.queue.enqueue(queued.map((b) => ({ digestId, batch: b.batch })));
  const totals = { recipients, batches: batches.length, contentIds: contentsOf(batches, digestId) };
  await deps.ledger.completeSnapshot(digestId, owner, totals, deps.now(), segment);
  const completed = await completeSegmented(deps, digestId);
  return { ...completed, enqueued: queued.length, handedOn: true };
}

/**
 * The job completed with its segments' totals once every segment is: taken over (its lease
 * ended at the split), so whoever finds them all complete first completes it; the others find
 * it queued, or held, and leave it.
 */
async function completeSegmented(deps: StartSendDeps, digestId: string): Promise<SendStart> {
  const job = (await deps.ledger.getJob(digestId))!;
  const segments = (await deps.ledger.segments(digestId)).filter((s) => s.status === 'queued');
  if (job.status === 'queued' || segments.length < job.segments!) return { job, enqueued: 0 };
  const owner = deps.newId();
  const now = deps.now();
  const opened = await deps.ledger.openJob(
    digestId,
    owner,
    now,
    new Date(now.getTime() + (deps.snapshotLeaseMs ?? DEFAULT_SNAPSHOT_LEASE_MS)),
  );
  if (!opened.owned) return { job: opened.job, enqueued: 0 };
  const totals = {
    recipients: segments.reduce((sum, s) => sum + (s.recipients ?? 0), 0),
    batches: segments.reduce((sum, s) => sum + (s.batches ?? 0), 0),
    contents: new Set(segments.flatMap((s) => s.contentIds ?? [])).size,
  };
  return { job: await deps.ledger.completeSnapshot(digestId, owner, totals, deps.now()), enqueued: 0 };
}
