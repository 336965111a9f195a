/**
 * The send worker: takes one batch of the ledger and mails each of its recipients at most
 * once, whatever crashes, retries and throttling happen on the way.
 *
 *   claim        pending → sending, under a lease (a conditional write: one worker at a time)
 *   reconcile    a recipient left `attempting` by a worker that died may have been mailed:
 *                recorded `unknown` and flagged for review, never resent; recipients with a
 *                result are done; the rest are sent now
 *   send         re-read their status (skip whoever unsubscribed or bounced since the
 *                snapshot), mark them `attempting` a few at a time ahead of the sending, send,
 *                record every result with the next mark (send-pipeline.ts)
 *   finish       sending → sent; or, when the provider throttled past our patience or was
 *                unavailable, release (sending → pending) for a later delivery of the message;
 *                or, when the provider refuses this deployment (access denied), release and
 *                stop the whole send with the reason, until an operator starts it again
 *   count        add the batch's accepted mails to the send's counts, beside the hard bounces
 *                and complaints the SES events function adds (send-feedback.ts): with those of
 *                the send's other batches this worker works at once, in one write, as they share
 *                one read of the job (shared-job.ts)
 *
 * Before claiming, the guardrails: a send whose hard-bounce or complaint rate since its last
 * resume is over its threshold is stopped with the rates as its reason (guardrailBreach).
 */
import { PressrunError } from '../errors.js';
import { mailFailureOf } from '../mail/mailer-error.js';
import type { DigestStore } from '../digest/ports.js';
import type { Mailer } from '../mail/ports.js';
import type { RecipientResult, SendBatch, SendBatchRef, SendJob, SendLedger, SendRecipient } from './ports.js';
import type { SubscriberStanding, SubscriberStore } from '../subscribers/ports.js';
import { copyMaker, type CopyContext, type CopyMaker, type CopyRecipient } from './recipient-copy.js';
import { generationOf } from '../subscribers/rules.js';
import { Pacer } from './pacer.js';
import { Slots } from './slots.js';
import { SharedJobs } from './shared-job.js';
import { SendPipeline, type Attempt, type Settled, type Unrecorded } from './send-pipeline.js';

export interface WorkerOptions {
  /** How long a claim holds without news from its worker; the queue's visibility timeout should match. Default 5 minutes. */
  leaseMs: number;
  /** Messages with the provider at once. Default 10. */
  inFlight: number;
  /**
   * Recipients marked `attempting` and not yet recorded, at most: the most a crash can leave
   * unknown (flagged for review, never resent). Marks are written as many at a time as that
   * allows (markSizeOf: 13 for the defaults), so the ledger sees one write per that many mails. Default 30.
   */
  atRisk: number;
  /** Sending again after throttling: attempts per message, first delay and longest delay. */
  throttle: { attempts: number; baseMs: number; maxMs: number };
  /**
   * Messages a second this worker may hand to the provider: its share of the account's
   * maximum send rate (SES GetAccount), so pacing, not throttling, keeps it under the quota.
   */
  ratePerSecond: number;
  /** Time kept back at the end of an invocation to record results and hand the batch back. */
  reserveMs: number;
  /**
   * The guardrails: a send stops itself before its next batch once, of the mails it sent since
   * it was last resumed, more than this share hard-bounced (default 5%) or complained (0.1%),
   * judged only once at least `minSample` mails went out since (200: a rate on ten means nothing).
   */
  maxBounceRate: number;
  maxComplaintRate: number;
  minSample: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  leaseMs: 5 * 60_000,
  inFlight: 10,
  atRisk: 30,
  throttle: { attempts: 6, baseMs: 250, maxMs: 8_000 },
  ratePerSecond: Infinity,
  reserveMs: 15_000,
  maxBounceRate: 0.05,
  maxComplaintRate: 0.001,
  minSample: 200,
};

/** Batches at most that share one read of their send's job and one write of its counts: one SQS invocation's. */
const JOB_SHARED_BY = 5;

/** Contents whose split a worker keeps: a send's readers share a few dozen at most (topics × formats). */
const MAKERS_KEPT = 64;

/**
 * Recipients marked a write: as many as keep a mark possible whenever the pipeline wants one
 * (at most `inFlight` with the provider and half a mark still waiting, within `atRisk`), and at
 * least a third of `atRisk` when that is smaller than `inFlight`. 13 for the defaults.
 */
export const markSizeOf = (atRisk: number, inFlight: number) =>
  Math.max(1, Math.floor(atRisk / 3), Math.floor(((atRisk - inFlight) * 2) / 3));

const percent = (rate: number) => `${Math.round(rate * 10_000) / 100}%`;

/**
 * Why a send must stop now, judged on its counts since its last resume, or undefined. The
 * counts lag a little (SES reports a bounce seconds to minutes after the mail), which only
 * makes a rate read lower than it will be.
 */
export function guardrailBreach(job: SendJob, options: Pick<WorkerOptions, 'maxBounceRate' | 'maxComplaintRate' | 'minSample'>) {
  const now = { sent: 0, bounces: 0, complaints: 0, ...job.counts };
  const base = { sent: 0, bounces: 0, complaints: 0, ...job.baseline };
  const sent = now.sent - base.sent;
  if (sent <= 0 || sent < options.minSample) return undefined;
  const over = (what: string, n: number, max: number) =>
    n / sent > max ? `${what} rate ${percent(n / sent)} (${n} of ${sent}) is over ${percent(max)}` : undefined;
  return (
    over('hard-bounce', now.bounces - base.bounces, options.maxBounceRate) ??
    over('complaint', now.complaints - base.complaints, options.maxComplaintRate)
  );
}

/** How long the invocation running the worker has left (Lambda's context.getRemainingTimeInMillis). */
export interface TimeBudget {
  timeLeftMs(): number;
}

export interface SendWorkerDeps extends CopyContext {
  digests: Pick<DigestStore, 'get'>;
  subscribers: Pick<SubscriberStore, 'standings'>;
  ledger: SendLedger;
  mailer: Mailer;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  newId: () => string;
  /** Paces this worker with the process's other mails; without it the worker paces itself at options.ratePerSecond. */
  pacer?: Pacer;
  /** A number in [0, 1) for the backoff's jitter: randomness comes in from the edge, like time. */
  random: () => number;
  options?: Partial<WorkerOptions>;
}

/**
 * sent          every recipient of the batch has a result (now or before)
 * already-done  nothing to do: the batch was sent before, or does not exist
 * busy          another worker holds a live claim on it
 * deferred      the provider throttled or was unavailable: released, deliver the message again later
 * stopped       the provider refuses this deployment, the send's bounce or complaint rate is over
 *               its guardrail, or the send was stopped before: nothing more is sent until the
 *               send is resumed (SendJob.stopped)
 * yielded       the invocation's time ran out first: released with what was sent, to go on at once
 */
export type BatchOutcome = 'sent' | 'already-done' | 'busy' | 'deferred' | 'stopped' | 'yielded';

export interface BatchReport {
  outcome: BatchOutcome;
  sent: number;
  failed: number;
  suppressed: number;
  /** Recipients flagged for review by this run. */
  unknown: number;
  /** Why the send stopped (outcome `stopped`). */
  reason?: string;
}

/** A worker that keeps each digest it met split at its tokens, for the batches that follow. */
export function createSendWorker(deps: SendWorkerDeps): (ref: SendBatchRef, budget?: TimeBudget) => Promise<BatchReport> {
  const worker = new SendWorker(deps);
  return (ref, budget) => worker.handle(ref, budget);
}

const noDeadline: TimeBudget = { timeLeftMs: () => Infinity };

const emptyReport = (): BatchReport => ({ outcome: 'sent', sent: 0, failed: 0, suppressed: 0, unknown: 0 });

/** The steps of one batch, named as the header above names them. */
class SendWorker {
  private readonly options: WorkerOptions;
  private readonly makers = new Map<string, Promise<CopyMaker>>();
  /** The worker's rate, kept across batches (and shared with the mails the process sends besides, when given one). */
  private readonly pacer: Pacer;
  /** The provider's slots, shared by the batches this worker works at once. */
  private readonly slots: Slots;
  /** Each send's job and counts, shared by the batches of it this worker works at once. */
  private readonly jobs: SharedJobs;

  constructor(private readonly deps: SendWorkerDeps) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...deps.options };
    this.pacer = deps.pacer ?? new Pacer(this.options.ratePerSecond, deps);
    this.slots = new Slots(this.options.inFlight);
    this.jobs = new SharedJobs(deps.ledger, JOB_SHARED_BY);
  }

  async handle(ref: SendBatchRef, budget: TimeBudget = noDeadline): Promise<BatchReport> {
    // The send's job as read by this batch or one beside it (shared-job.ts); its mails are counted with theirs.
    const job = this.jobs.begin(ref.digestId);
    let sent = 0;
    try {
      const report = await this.work(ref, job, budget);
      sent = report.sent;
      return report;
    } finally {
      await this.jobs.end(ref.digestId, sent);
    }
  }

  private async work(ref: SendBatchRef, shared: Promise<SendJob | undefined>, budget: TimeBudget): Promise<BatchReport> {
    const claimId = this.deps.newId();
    const claimedAt = this.deps.now();
    // The job and the claim at once; the claim reads the batch back. A shared read that failed
    // is read again by each batch that shared it, so it fails no more batches than a read of its own.
    const [job, batch] = await Promise.all([
      shared.catch(() => this.jobs.reread(ref.digestId)),
      this.deps.ledger.claim(ref, claimId, claimedAt, this.leaseFrom(claimedAt)),
    ]);
    const stopped = await this.stoppedBefore(ref, job, batch ? claimId : undefined);
    if (stopped) return stopped;
    // Only a claim refused needs a read, to tell a batch done from one held.
    if (!batch) return { ...emptyReport(), outcome: (await this.doneBefore(ref)) ? 'already-done' : 'busy' };
    try {
      return await this.send(batch, claimId, budget);
    } catch (error) {
      // Hand the batch back at once; if even that fails, the lease runs out and the next claim reconciles.
      await this.deps.ledger.release(ref, claimId).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A send stopped before (or whose rates pass a guardrail now, which stops it): nothing is
   * sent, and a claim taken (`claimId`) is given back. Undefined for a send that goes on.
   */
  private async stoppedBefore(
    ref: SendBatchRef,
    shared: SendJob | undefined,
    claimId: string | undefined,
  ): Promise<BatchReport | undefined> {
    if (!shared?.stopped && this.breachOf(shared) === undefined) return undefined;
    // A stopped batch's message is dropped: judged again on the job as it is now, not as a batch beside it read it.
    const job = await this.jobs.reread(ref.digestId);
    const breach = this.breachOf(job);
    if (!job?.stopped && breach === undefined) return undefined;
    if (claimId) await this.deps.ledger.release(ref, claimId);
    // A batch sent before is done, stopped send or not.
    if (await this.doneBefore(ref)) return { ...emptyReport(), outcome: 'already-done' };
    if (job?.stopped) return { ...emptyReport(), outcome: 'stopped', reason: job.stopped.reason };
    await this.deps.ledger.stopJob(ref.digestId, breach!, this.deps.now());
    this.jobs.forget(ref.digestId);
    return { ...emptyReport(), outcome: 'stopped', reason: breach };
  }

  /** The guardrail a send not stopped passes now, if any. */
  private breachOf(job: SendJob | undefined): string | undefined {
    return job && !job.stopped ? guardrailBreach(job, this.options) : undefined;
  }

  /** Whether the batch was sent before, or is not in the ledger at all: nothing to do. */
  private async doneBefore(ref: SendBatchRef): Promise<boolean> {
    const found = await this.deps.ledger.getBatch(ref);
    return !found || found.status === 'sent';
  }

  private leaseFrom(now: Date): Date {
    return new Date(now.getTime() + this.options.leaseMs);
  }

  /**
   * The recipients through the pipeline (send-pipeline.ts), paced to the worker's rate, until
   * the invocation's reserve: the last results go with the end of the claim, in one write.
   */
  private async send(batch: SendBatch, claimId: string, budget: TimeBudget): Promise<BatchReport> {
    const ref = { digestId: batch.digestId, batch: batch.batch };
    const report = emptyReport();
    await this.reconcile(batch, claimId, report);
    const todo = batch.recipients.filter((r) => !batch.results[r.id]);
    // Who is still confirmed, read once for the batch, beside the contents' makers; the others are recorded suppressed.
    const [make, current] = await Promise.all([
      this.makersFor(batch.digestId, todo),
      todo.length > 0 ? this.deps.subscribers.standings(todo.map((r) => r.id)) : new Map<string, SubscriberStanding>(),
    ]);
    const at = { ref, claimId, current, report };
    const { inFlight, atRisk, reserveMs } = this.options;
    const limits = { atRisk, reserveMs, markSize: markSizeOf(atRisk, inFlight) };
    const provider = { pacer: this.pacer, slots: this.slots };
    const pipeline = new SendPipeline(this.stepsOf(at, make), todo, limits, provider, () => budget.timeLeftMs());
    const { end, unrecorded } = await pipeline.run();
    if (end !== undefined) return this.handBack(at, unrecorded, { ...report, ...end });
    await this.deps.ledger.finish(ref, claimId, unrecorded);
    return report;
  }

  private stepsOf(at: BatchContext, make: (recipient: SendRecipient) => CopyMaker) {
    return {
      screen: (recipients: SendRecipient[], results: Record<string, RecipientResult>) =>
        this.stillConfirmed(recipients, at.current, results, at.report),
      mark: (carry: Unrecorded, ids: string[]) => {
        const now = this.deps.now();
        return this.deps.ledger.recordAndMark(at.ref, at.claimId, carry, ids, now, this.leaseFrom(now));
      },
      attempt: (recipient: CopyRecipient) => this.attempt(make(recipient), recipient),
      settle: (recipient: CopyRecipient, attempt: Attempt, results: Record<string, RecipientResult>) =>
        this.settle(recipient, attempt, results, at.report),
    };
  }

  /** A recipient left `attempting` by a worker that died may have been mailed: flagged for review, never resent. */
  private async reconcile(batch: SendBatch, claimId: string, report: BatchReport): Promise<void> {
    const interrupted = batch.recipients.filter((r) => batch.results[r.id]?.status === 'attempting');
    if (interrupted.length === 0) return;
    const at = this.deps.now().toISOString();
    const error = 'a worker stopped after handing this message to the provider; it may have been delivered';
    const flagged = Object.fromEntries(interrupted.map((r): [string, RecipientResult] => [r.id, { status: 'unknown', at, error }]));
    await this.deps.ledger.record({ digestId: batch.digestId, batch: batch.batch }, claimId, flagged);
    report.unknown += interrupted.length;
  }

  /**
   * Ends this delivery of the batch before its end: what is not recorded is, and the batch goes
   * back to pending for the next delivery; a provider that refuses this deployment stops the send.
   */
  private async handBack(at: BatchContext, unrecorded: Unrecorded, report: BatchReport): Promise<BatchReport> {
    await this.deps.ledger.record(at.ref, at.claimId, unrecorded.results, unrecorded.notSent);
    await this.deps.ledger.release(at.ref, at.claimId);
    if (report.outcome === 'stopped') {
      await this.deps.ledger.stopJob(at.ref.digestId, report.reason!, this.deps.now());
      this.jobs.forget(at.ref.digestId);
    }
    return report;
  }

  /**
   * Who is still confirmed, with the subscription their unsubscribe link is for; the others are
   * recorded `suppressed` (unsubscribed, bounced since the snapshot).
   */
  private stillConfirmed(
    group: SendRecipient[],
    current: Map<string, SubscriberStanding>,
    results: Record<string, RecipientResult>,
    report: BatchReport,
  ) {
    return group.flatMap((r): CopyRecipient[] => {
      const subscriber = current.get(r.id);
      if (subscriber?.status === 'confirmed') return [{ ...r, generation: generationOf(subscriber) }];
      results[r.id] = { status: 'suppressed', at: this.deps.now().toISOString() };
      report.suppressed++;
      return [];
    });
  }

  /** An attempt's result, counted; a provider that may have taken a message, or stopped taking them, stops the batch. */
  private settle(r: CopyRecipient, attempt: Attempt, results: Record<string, RecipientResult>, report: BatchReport): Settled {
    if (attempt.kind === 'not-sent')
      return { notSent: [r.id], stop: true, ...(attempt.refusedUs !== undefined ? { refusedUs: attempt.refusedUs } : {}) };
    const at = this.deps.now().toISOString();
    results[r.id] =
      attempt.kind === 'sent' ? { status: 'sent', at, messageId: attempt.messageId } : { status: attempt.kind, at, error: attempt.error };
    report[attempt.kind]++;
    // The provider may have it: never resend; and a provider in that state gets no more from this batch now.
    return { notSent: [], stop: attempt.kind === 'unknown' };
  }

  /** Each recipient's maker: of the content their email holds (SendRecipient.content), else of the send's digest. */
  private async makersFor(sendId: string, recipients: SendRecipient[]): Promise<(recipient: SendRecipient) => CopyMaker> {
    const ids = [...new Set(recipients.map((r) => r.content ?? sendId))];
    const makers = new Map(await Promise.all(ids.map(async (id) => [id, await this.makerFor(sendId, id)] as const)));
    return (recipient) => makers.get(recipient.content ?? sendId)!;
  }

  private makerFor(sendId: string, contentId: string): Promise<CopyMaker> {
    const key = `${sendId}\n${contentId}`;
    let maker = this.makers.get(key);
    if (!maker) {
      maker = this.deps.digests.get(contentId).then((digest) => {
        if (!digest) throw new PressrunError('not-found', `The ledger names content "${contentId}", which does not exist`);
        return copyMaker(this.deps, digest, sendId);
      });
      maker.catch(() => this.makers.delete(key));
      this.makers.set(key, maker);
      // A worker lives for many batches of a few sends, each with a few distinct contents: keep the last ones.
      if (this.makers.size > MAKERS_KEPT) this.makers.delete(this.makers.keys().next().value as string);
    }
    return maker;
  }

  /** Hands one message to the provider, sending again after throttling with jittered backoff. */
  private async attempt(make: CopyMaker, recipient: CopyRecipient): Promise<Attempt> {
    const message = make(recipient, this.deps.now());
    for (let n = 1; ; n++) {
      try {
        const { messageId } = await this.deps.mailer.send(message);
        return { kind: 'sent', messageId };
      } catch (error) {
        const failure = mailFailureOf(error);
        const reason = error instanceof Error ? error.message : String(error);
        if (failure === 'rejected') return { kind: 'failed', error: reason };
        if (failure === 'unknown') return { kind: 'unknown', error: reason };
        if (failure === 'misconfigured')
          return { kind: 'not-sent', stop: true, refusedUs: `The mail provider refuses to send for this deployment: ${reason}` };
        if (failure === 'unavailable' || n >= this.options.throttle.attempts) return { kind: 'not-sent', stop: true };
        const { baseMs, maxMs } = this.options.throttle;
        await this.deps.sleep(Math.min(maxMs, baseMs * 2 ** (n - 1)) * (0.5 + this.deps.random() / 2));
      }
    }
  }
}

interface BatchContext {
  ref: SendBatchRef;
  claimId: string;
  current: Map<string, SubscriberStanding>;
  report: BatchReport;
}
