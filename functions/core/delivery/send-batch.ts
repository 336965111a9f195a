/**
 * The send worker: takes one batch of the ledger and mails each of its recipients at most
 * once, whatever crashes, retries and throttling happen on the way.
 *
 *   claim        pending → sending, under a lease (a conditional write: one worker at a time)
 *   reconcile    a recipient left `attempting` by a worker that died may have been mailed:
 *                recorded `unknown` and flagged for review, never resent; recipients with a
 *                result are done; the rest are sent now
 *   per group    re-read their status (skip whoever unsubscribed or bounced since the
 *                snapshot), mark them `attempting`, send, record every result
 *   finish       sending → sent; or, when the provider throttled past our patience or was
 *                unavailable, release (sending → pending) for a later delivery of the message
 */
import { PressrunError } from '../errors.js';
import { mailFailureOf } from '../mail/mailer-error.js';
import type { DigestStore } from '../digest/ports.js';
import type { Mailer } from '../mail/ports.js';
import type { RecipientResult, SendBatch, SendBatchRef, SendLedger, SendRecipient } from './ports.js';
import type { SubscriberStore } from '../subscribers/ports.js';
import { copyMaker, type CopyContext, type CopyMaker } from './recipient-copy.js';

export interface WorkerOptions {
  /** How long a claim holds without news from its worker; the queue's visibility timeout should match. Default 5 minutes. */
  leaseMs: number;
  /** Messages handed to the provider at once; also the most a crash can leave unknown. Default 10. */
  inFlight: number;
  /** Sending again after throttling: attempts per message, first delay and longest delay. */
  throttle: { attempts: number; baseMs: number; maxMs: number };
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  leaseMs: 5 * 60_000,
  inFlight: 10,
  throttle: { attempts: 6, baseMs: 250, maxMs: 8_000 },
};

export interface SendWorkerDeps extends CopyContext {
  digests: Pick<DigestStore, 'get'>;
  subscribers: Pick<SubscriberStore, 'getMany'>;
  ledger: SendLedger;
  mailer: Mailer;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  newId: () => string;
  /** For the backoff's jitter; Math.random unless a test needs it fixed. */
  random?: () => number;
  options?: Partial<WorkerOptions>;
}

/**
 * sent          every recipient of the batch has a result (now or before)
 * already-done  nothing to do: the batch was sent before, or does not exist
 * busy          another worker holds a live claim on it
 * deferred      the provider throttled or was unavailable: released, deliver the message again later
 */
export type BatchOutcome = 'sent' | 'already-done' | 'busy' | 'deferred';

export interface BatchReport {
  outcome: BatchOutcome;
  sent: number;
  failed: number;
  suppressed: number;
  /** Recipients flagged for review by this run. */
  unknown: number;
}

type Attempt =
  | { kind: 'sent'; messageId: string }
  | { kind: 'failed'; error: string }
  | { kind: 'unknown'; error: string }
  | { kind: 'not-sent'; stop: boolean };

/** A worker that keeps each digest it met split at its tokens, for the batches that follow. */
export function createSendWorker(deps: SendWorkerDeps): (ref: SendBatchRef) => Promise<BatchReport> {
  const options: WorkerOptions = { ...DEFAULT_WORKER_OPTIONS, ...deps.options };
  const random = deps.random ?? Math.random;
  const makers = new Map<string, Promise<CopyMaker>>();
  const leaseFrom = (now: Date) => new Date(now.getTime() + options.leaseMs);

  const makerFor = (digestId: string): Promise<CopyMaker> => {
    let maker = makers.get(digestId);
    if (!maker) {
      maker = deps.digests.get(digestId).then((digest) => {
        if (!digest) throw new PressrunError('not-found', `The ledger names digest "${digestId}", which does not exist`);
        return copyMaker(deps, digest);
      });
      maker.catch(() => makers.delete(digestId));
      makers.set(digestId, maker);
      // A worker lives for many batches of few digests: keep the last handful.
      if (makers.size > 4) makers.delete(makers.keys().next().value as string);
    }
    return maker;
  };

  const attempt = async (make: CopyMaker, recipient: SendRecipient): Promise<Attempt> => {
    const message = make(recipient, deps.now());
    for (let n = 1; ; n++) {
      try {
        const { messageId } = await deps.mailer.send(message);
        return { kind: 'sent', messageId };
      } catch (error) {
        const failure = mailFailureOf(error);
        const reason = error instanceof Error ? error.message : String(error);
        if (failure === 'rejected') return { kind: 'failed', error: reason };
        if (failure === 'unknown') return { kind: 'unknown', error: reason };
        if (failure === 'unavailable' || n >= options.throttle.attempts) return { kind: 'not-sent', stop: true };
        const { baseMs, maxMs } = options.throttle;
        await deps.sleep(Math.min(maxMs, baseMs * 2 ** (n - 1)) * (0.5 + random() / 2));
      }
    }
  };

  return async (ref) => {
    const report: BatchReport = { outcome: 'sent', sent: 0, failed: 0, suppressed: 0, unknown: 0 };
    const found = await deps.ledger.getBatch(ref);
    if (!found || found.status === 'sent') return { ...report, outcome: 'already-done' };
    const claimId = deps.newId();
    const claimedAt = deps.now();
    const batch = await deps.ledger.claim(ref, claimId, claimedAt, leaseFrom(claimedAt));
    if (!batch) return { ...report, outcome: 'busy' };
    try {
      return await run(batch, claimId, report);
    } catch (error) {
      // Hand the batch back at once; if even that fails, the lease runs out and the next claim reconciles.
      await deps.ledger.release(ref, claimId).catch(() => undefined);
      throw error;
    }
  };

  async function run(batch: SendBatch, claimId: string, report: BatchReport): Promise<BatchReport> {
    const ref = { digestId: batch.digestId, batch: batch.batch };
    const interrupted = batch.recipients.filter((r) => batch.results[r.id]?.status === 'attempting');
    if (interrupted.length > 0) {
      const at = deps.now().toISOString();
      const flagged: Record<string, RecipientResult> = {};
      for (const r of interrupted)
        flagged[r.id] = {
          status: 'unknown',
          at,
          error: 'a worker stopped after handing this message to the provider; it may have been delivered',
        };
      await deps.ledger.record(ref, claimId, flagged);
      report.unknown += interrupted.length;
    }
    const todo = batch.recipients.filter((r) => !batch.results[r.id]);
    const make = todo.length > 0 ? await makerFor(batch.digestId) : undefined;

    for (let i = 0; i < todo.length; i += options.inFlight) {
      const group = todo.slice(i, i + options.inFlight);
      const current = await deps.subscribers.getMany(group.map((r) => r.id));
      const results: Record<string, RecipientResult> = {};
      const at = () => deps.now().toISOString();
      const sendable = group.filter((r) => {
        if (current.get(r.id)?.status === 'confirmed') return true;
        results[r.id] = { status: 'suppressed', at: at() };
        report.suppressed++;
        return false;
      });
      const notSent: string[] = [];
      let stop = false;
      if (sendable.length > 0) {
        const now = deps.now();
        await deps.ledger.markAttempting(
          ref,
          claimId,
          sendable.map((r) => r.id),
          now,
          leaseFrom(now),
        );
        const attempts = await Promise.all(sendable.map((r) => attempt(make!, r)));
        sendable.forEach((r, k) => {
          const outcome = attempts[k]!;
          if (outcome.kind === 'sent') {
            results[r.id] = { status: 'sent', at: at(), messageId: outcome.messageId };
            report.sent++;
          } else if (outcome.kind === 'failed') {
            results[r.id] = { status: 'failed', at: at(), error: outcome.error };
            report.failed++;
          } else if (outcome.kind === 'unknown') {
            // The provider may have it: never resend; and a provider in that state gets no more from this batch now.
            results[r.id] = { status: 'unknown', at: at(), error: outcome.error };
            report.unknown++;
            stop = true;
          } else {
            notSent.push(r.id);
            stop = true;
          }
        });
      }
      await deps.ledger.record(ref, claimId, results, notSent);
      if (stop) {
        await deps.ledger.release(ref, claimId);
        return { ...report, outcome: 'deferred' };
      }
    }
    await deps.ledger.finish(ref, claimId);
    return report;
  }
}
