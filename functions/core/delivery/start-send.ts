/**
 * Starting a digest's send: snapshot the confirmed subscribers into batches in the ledger,
 * then queue the batches. Safe to call again at any time: a finished snapshot is never
 * redone (its unfinished batches are queued again, which is how a stuck send is nudged, and
 * how a stopped send is resumed: resumeDigestSend, or starting it again),
 * and a snapshot that crashed midway resumes without putting anyone in two batches.
 */
import { conflict } from '../errors.js';
import type { DigestStore } from '../digest/ports.js';
import type { RoundDeps } from './plan-round.js';
import { roundId } from './round-id.js';
import { latestWholeHour } from './reader-windows.js';
import type { Queue, SendJob, SendLedger, SendPlanner } from './ports.js';
import type { SubscriberStore } from '../subscribers/ports.js';
import { BATCH_SIZE } from './batches.js';
import type { TimeBudget } from './send-batch.js';
import { contentsOf, openPlan, sendOf, snapshotReaders, unfinished } from './snapshot-readers.js';
import { handOutSegments } from './plan-segments.js';

export interface StartSendDeps {
  digests: Pick<DigestStore, 'get' | 'latest'>;
  /**
   * What planning who gets which email needs (plan-round.ts). A process that only queues sends
   * planned elsewhere (the API hands planning to the worker) has none.
   */
  rounds?: RoundDeps;
  subscribers: Pick<SubscriberStore, 'confirmed'>;
  ledger: SendLedger;
  queue: Queue;
  now: () => Date;
  newId: () => string;
  /** How long a snapshot may take before another caller takes it over. Default 5 minutes. */
  snapshotLeaseMs?: number;
  batchSize?: number;
  /**
   * Where the readers are planned in this many segments (segments.ts), each by a worker of its
   * own, in parallel: the send's worker, which hands them out through `planner`. 1 (the default):
   * one process plans them all.
   */
  segments?: number;
  planner?: SendPlanner;
}

export interface SendStart {
  job: SendJob;
  /** Batches handed to the queue by this call. */
  enqueued: number;
  /** The invocation's time ran out before the snapshot's end: it paused (SendJob.cursor); start it again to go on. */
  paused?: boolean;
  /** What is left of the snapshot is in other hands: its segments, handed out to workers, which complete the send (plan-segments.ts). */
  handedOn?: boolean;
}

const DEFAULT_SNAPSHOT_LEASE_MS = 5 * 60_000;

/**
 * Given the invocation's time (`budget`), a snapshot that would outlast it pauses at a page
 * boundary: what it planned is written as batches, where it got to recorded (SendJob.cursor),
 * and the next start goes on from there (the send worker hands itself the plan again).
 */
export async function startDigestSend(deps: StartSendDeps, digestId: string, budget?: TimeBudget): Promise<SendStart> {
  const send = await sendOf(deps, digestId);
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

  if (job.segments !== undefined || ((deps.segments ?? 1) > 1 && deps.planner)) return handOutSegments(deps, job, owner);

  const plan = await openPlan(deps, digestId, job, send);
  const existing = await deps.ledger.batches(digestId);
  const readers = job.cursor === undefined ? {} : { after: job.cursor };
  const scope = { digestId, readers, existing, numbers: { first: 1, last: 999_999 }, size: deps.batchSize ?? BATCH_SIZE };
  const { recipients, pausedAfter } = await snapshotReaders(deps, plan, scope, budget);
  if (pausedAfter !== undefined) {
    await deps.ledger.pauseSnapshot(digestId, owner, pausedAfter, deps.now());
    return { job: { ...job, cursor: pausedAfter }, enqueued: 0, paused: true };
  }

  const batches = await deps.ledger.batches(digestId);
  // Queued before the job says so: a crash in between only queues them again next time.
  const queued = unfinished(batches, deps.now());
  await deps.queue.enqueue(queued.map((b) => ({ digestId, batch: b.batch })));
  const done = await deps.ledger.completeSnapshot(
    digestId,
    owner,
    { recipients, batches: batches.length, contents: contentsOf(batches, digestId).length },
    deps.now(),
  );
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
  const again = unfinished(await deps.ledger.batchStates(digestId), now);
  await deps.queue.enqueue(again.map((b) => ({ digestId, batch: b.batch })));
  const { stopped: _resumed, ...current } = job;
  return { job: current, enqueued: again.length };
}

/**
 * Resumes a send that stopped (SendJob.stopped): 'not-found' for an unknown digest, 'conflict'
 * naming `status` when its send never started, is still being prepared, or is not stopped.
 */
export async function resumeDigestSend(deps: StartSendDeps, digestId: string): Promise<SendStart> {
  await sendOf(deps, digestId);
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
 * snapshotted is handed to a worker, since the snapshot reads every confirmed reader and writes
 * their marks (about 3 s per 10,000 with its renders, past the API's timeout at 100,000; the
 * worker pauses and hands it on at its own invocation's end); one already snapshotted only has
 * its unfinished batches queued again, which is quick. No job yet: the worker opens it.
 */
export async function requestDigestSend(
  deps: StartSendDeps & { planner: SendPlanner },
  digestId: string,
): Promise<{ job?: SendJob; enqueued: number }> {
  await sendOf(deps, digestId);
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

/**
 * A tick of the clock for the readers who chose each article, daily or weekly: plans a round
 * (a send named after this minute) when someone may be due, that is when a whole hour of the
 * site's time zone passed since the last round (someone's daily or weekly hour) or a publish
 * ended since the last round less the hold window (someone's per-article email). Otherwise
 * nothing is read but two items. Safe to call again: a round is one send per minute.
 */
export async function tickRounds(
  deps: StartSendDeps & { rounds: RoundDeps },
  now: Date,
  budget?: TimeBudget,
): Promise<SendStart | undefined> {
  const last = await deps.rounds.marks.lastTick();
  if (last !== undefined) {
    // The last round first: one a crash left half planned is planned to its end, with the windows its marks name.
    const previous = await deps.ledger.getJob(roundId(new Date(last)));
    if (previous && previous.status !== 'queued') {
      const resumed = await startDigestSend(deps, previous.digestId, budget);
      if (resumed.job.status !== 'queued') return resumed;
    }
    if (!(await someoneMayBeDue(deps.rounds, new Date(last), now))) return undefined;
  }
  // Recorded first: a crash while planning leaves the round's id where the next tick finds it.
  await deps.rounds.marks.setLastTick(now.toISOString());
  // One that pauses (the invocation's time ran out) is gone on with by the next tick, as a crashed one is.
  return startDigestSend(deps, roundId(now), budget);
}

async function someoneMayBeDue(rounds: RoundDeps, last: Date, now: Date): Promise<boolean> {
  if (latestWholeHour(now, rounds.timeZone).getTime() > last.getTime()) return true;
  const published = await rounds.lastPublishedAt();
  // A publish within the hold window before the last round may have placed articles that come due only now.
  return published !== undefined && Date.parse(published) > last.getTime() - rounds.holdMs - 60_000;
}
