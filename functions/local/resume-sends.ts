/**
 * At start, every digest send a stopped process left unfinished is taken up again, as SQS
 * keeps a message until a worker deletes it: the local send queue lives in memory, but the
 * ledger (in dynalite, under .data/) records each batch that is not `sent`. So the ledger, not
 * a second record, says what to resume:
 *
 *   queued job      its batches that are not sent are queued again (startDigestSend)
 *   snapshotting    the snapshot resumes where it stopped once its lease ends (startDigestSend)
 *   sending batch   its claim was held by the process that stopped, which the data folder's
 *                   lock proves dead: the claim is given back (sending → pending, results
 *                   kept) instead of waiting out its five-minute lease. The next claim flags
 *                   whoever was being handed to the provider when it stopped for review, and
 *                   never mails them again.
 *
 * Safe to run while this process sends: a claim this process took has a lease ending at least
 * `leaseMs` after it started, and only claims ending sooner are given back.
 */
import type { DigestStore } from '../core/digest/ports.js';
import type { SendBatch, SendJob, SendLedger } from '../core/delivery/ports.js';
import { DEFAULT_WORKER_OPTIONS } from '../core/delivery/send-batch.js';

export interface ResumeSendsDeps {
  digests: Pick<DigestStore, 'list'>;
  ledger: Pick<SendLedger, 'getJob' | 'batches' | 'release'>;
  /** Snapshots and queues a digest's send, or queues its unfinished batches again (startDigestSend). */
  startSend: (digestId: string) => Promise<{ enqueued: number }>;
  /** When this process started: claims whose lease ends before `startedAt + leaseMs` were taken before it. */
  startedAt: Date;
  /** The send worker's lease. Default its default, 5 minutes. */
  leaseMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface ResumedSends {
  /** Digests whose send was unfinished. */
  digests: string[];
  /** Batches queued again. */
  batches: number;
  /** Snapshots still under the lease of the process that stopped: resumed when it ends. */
  waiting: Array<{ digestId: string; at: Date }>;
}

/** Resumes the unfinished sends once (`resume()`), and a snapshot still under a dead process's lease when the lease ends. */
export function sendResumer(deps: ResumeSendsDeps): { resume(): Promise<ResumedSends>; close(): void } {
  const timers = new Set<NodeJS.Timeout>();
  const later = (digestId: string, at: Date) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        deps.startSend(digestId).catch((error: unknown) => deps.log?.(`resuming the send of ${digestId} failed: ${String(error)}`));
      },
      Math.max(0, at.getTime() - Date.now() + 1_000),
    );
    timers.add(timer);
  };
  return {
    resume: async () => {
      const resumed = await resumeSends(deps);
      for (const { digestId, at } of resumed.waiting) later(digestId, at);
      return resumed;
    },
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

const unfinished = (batch: SendBatch) => batch.status !== 'sent';

export async function resumeSends(deps: ResumeSendsDeps): Promise<ResumedSends> {
  const resumed: ResumedSends = { digests: [], batches: 0, waiting: [] };
  for (const { id } of await deps.digests.list()) {
    const job = await deps.ledger.getJob(id);
    if (job) await resumeOne(deps, id, job, resumed);
  }
  if (resumed.digests.length > 0) {
    deps.log?.(
      `resuming the unfinished send of ${resumed.digests.length} digest(s): ${resumed.batches} batch(es) queued again` +
        resumed.waiting.map((w) => `; ${w.digestId} was being prepared, resumed at ${w.at.toISOString()}`).join(''),
    );
  }
  return resumed;
}

async function resumeOne(deps: ResumeSendsDeps, digestId: string, job: SendJob, resumed: ResumedSends): Promise<void> {
  const batches = await deps.ledger.batches(digestId);
  if (job.status === 'queued' && !batches.some(unfinished)) return;
  resumed.digests.push(digestId);
  const claimsOfThisProcessEnd = deps.startedAt.getTime() + (deps.leaseMs ?? DEFAULT_WORKER_OPTIONS.leaseMs);
  for (const batch of batches) {
    if (batch.status !== 'sending' || !batch.claimId || Date.parse(batch.leaseUntil ?? '') >= claimsOfThisProcessEnd) continue;
    // A conflict means the claim changed hands since it was read: nothing to give back.
    await deps.ledger.release({ digestId, batch: batch.batch }, batch.claimId).catch(() => undefined);
  }
  const now = (deps.now ?? (() => new Date()))();
  if (job.status === 'snapshotting' && Date.parse(job.leaseUntil) > now.getTime()) {
    resumed.waiting.push({ digestId, at: new Date(job.leaseUntil) });
    return;
  }
  resumed.batches += (await deps.startSend(digestId)).enqueued;
}
