/**
 * Starting a digest's send: snapshot the confirmed subscribers into batches in the ledger,
 * then queue the batches. Safe to call again at any time: a finished snapshot is never
 * redone (its unfinished batches are queued again, which is how a stuck send is nudged, and
 * how a stopped send is resumed: resumeDigestSend, or starting it again),
 * and a snapshot that crashed midway resumes without putting anyone in two batches.
 */
import { conflict, notFound } from '../errors.js';
import type { DigestStore } from '../digest/ports.js';
import type { Queue, SendBatch, SendJob, SendLedger, SendPlanner, SendRecipient } from './ports.js';
import type { SubscriberStore } from '../subscribers/ports.js';
import { BATCH_SIZE, planBatches } from './batches.js';

export interface StartSendDeps {
  digests: Pick<DigestStore, 'get' | 'latest'>;
  subscribers: Pick<SubscriberStore, 'confirmed'>;
  ledger: SendLedger;
  queue: Queue;
  now: () => Date;
  newId: () => string;
  /** How long a snapshot may take before another caller takes it over. Default 5 minutes. */
  snapshotLeaseMs?: number;
  batchSize?: number;
}

export interface SendStart {
  job: SendJob;
  /** Batches handed to the queue by this call. */
  enqueued: number;
}

const DEFAULT_SNAPSHOT_LEASE_MS = 5 * 60_000;

/** Batches a worker should be given: not finished, and not held by a live claim. */
function unfinished(batches: SendBatch[], now: Date): SendBatch[] {
  return batches.filter((b) => b.status === 'pending' || (b.status === 'sending' && Date.parse(b.leaseUntil ?? '') <= now.getTime()));
}

export async function startDigestSend(deps: StartSendDeps, digestId: string): Promise<SendStart> {
  if (!(await deps.digests.get(digestId))) throw notFound(`No digest has the id "${digestId}"`);
  const owner = deps.newId();
  const now = deps.now();
  const { job, owned } = await deps.ledger.openJob(
    digestId,
    owner,
    now,
    new Date(now.getTime() + (deps.snapshotLeaseMs ?? DEFAULT_SNAPSHOT_LEASE_MS)),
  );
  // A stopped send stays stopped: only resumeDigestSend, an operator's decision, starts it again.
  if (!owned) return job.status === 'queued' && !job.stopped ? requeue(deps, job, now) : { job, enqueued: 0 };

  // Batches written by an earlier, crashed snapshot stand; their recipients are not taken again.
  const existing = await deps.ledger.batches(digestId);
  const taken = new Set(existing.flatMap((b) => b.recipients.map((r) => r.id)));
  let next = existing.reduce((max, b) => Math.max(max, b.batch), 0) + 1;
  const size = deps.batchSize ?? BATCH_SIZE;
  let buffer: SendRecipient[] = [];
  let recipients = taken.size;
  const flush = async (all: boolean) => {
    const full = all ? buffer.length : buffer.length - (buffer.length % size);
    for (const planned of planBatches(buffer.slice(0, full), next, size)) {
      await deps.ledger.addBatch({ digestId, ...planned });
      next = planned.batch + 1;
    }
    buffer = buffer.slice(full);
  };
  for await (const page of deps.subscribers.confirmed()) {
    for (const subscriber of page) {
      if (taken.has(subscriber.id)) continue;
      taken.add(subscriber.id);
      buffer.push({ id: subscriber.id, email: subscriber.email });
      recipients++;
    }
    if (buffer.length >= size) await flush(false);
  }
  await flush(true);

  const batches = await deps.ledger.batches(digestId);
  // Queued before the job says so: a crash in between only queues them again next time.
  const queued = unfinished(batches, deps.now());
  await deps.queue.enqueue(queued.map((b) => ({ digestId, batch: b.batch })));
  const done = await deps.ledger.completeSnapshot(digestId, owner, { recipients, batches: batches.length }, deps.now());
  return { job: done, enqueued: queued.length };
}

/**
 * A snapshotted send, started again: a stop is cleared (by resumeDigestSend: the operator has
 * fixed what the provider refused, or looked into the bounces or complaints that paused it; the
 * rates count from here on), and its unfinished batches are queued again. The ledger decides who
 * is still to be mailed, so nobody is mailed twice.
 */
async function requeue(deps: StartSendDeps, job: SendJob, now: Date): Promise<SendStart> {
  const { digestId } = job;
  if (job.stopped) await deps.ledger.resumeJob(digestId, now);
  const again = unfinished(await deps.ledger.batches(digestId), now);
  await deps.queue.enqueue(again.map((b) => ({ digestId, batch: b.batch })));
  const { stopped: _resumed, ...current } = job;
  return { job: current, enqueued: again.length };
}

/**
 * Resumes a send that stopped (SendJob.stopped): 'not-found' for an unknown digest, 'conflict'
 * naming `status` when its send never started, is still being prepared, or is not stopped.
 */
export async function resumeDigestSend(deps: StartSendDeps, digestId: string): Promise<SendStart> {
  if (!(await deps.digests.get(digestId))) throw notFound(`No digest has the id "${digestId}"`);
  const job = await deps.ledger.getJob(digestId);
  const state = !job
    ? 'was never started'
    : job.status !== 'queued'
      ? 'is still being prepared'
      : !job.stopped
        ? 'is not stopped'
        : undefined;
  if (!job || state !== undefined) {
    throw conflict(`The send of digest "${digestId}" ${state}: only a stopped send can be resumed`, [
      { field: 'status', message: state === 'is not stopped' ? 'is not stopped' : `${state}, so it is not stopped` },
    ]);
  }
  return requeue(deps, job, deps.now());
}

/**
 * Starting a send from the API, whose requests must answer within seconds: a send not yet
 * snapshotted is handed to a worker, since the snapshot reads every confirmed reader (about
 * 0.75 s per 10,000, past the API's timeout at 100,000); one already snapshotted only has its
 * unfinished batches queued again, which is quick. No job yet: the worker opens it.
 */
export async function requestDigestSend(
  deps: StartSendDeps & { planner: SendPlanner },
  digestId: string,
): Promise<{ job?: SendJob; enqueued: number }> {
  if (!(await deps.digests.get(digestId))) throw notFound(`No digest has the id "${digestId}"`);
  const job = await deps.ledger.getJob(digestId);
  if (job?.status === 'queued') return startDigestSend(deps, digestId);
  await deps.planner.plan(digestId);
  return { ...(job ? { job } : {}), enqueued: 0 };
}

/** The cron cadence: starts the newest digest's send unless it was started before. */
export async function sendLatestDigest(deps: StartSendDeps): Promise<SendStart | undefined> {
  const latest = await deps.digests.latest();
  if (!latest || (await deps.ledger.getJob(latest.id))) return undefined;
  return startDigestSend(deps, latest.id);
}
