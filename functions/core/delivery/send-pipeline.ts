/**
 * One delivery of a batch's recipients to the provider, a message at a time as its slots free
 * up, the way a bare mail loop keeps its connections busy, and every message marked
 * `attempting` in the ledger before it goes:
 *
 *   marks      written `markSize` recipients at a time, ahead of the sending, each write
 *              carrying the results settled since the one before: the ledger's round trip
 *              stays off the sending's path, and the ledger sees one write per `markSize` mails
 *   at risk    a write is only made while the recipients marked and not yet recorded stay
 *              within `atRisk` after it: the most a crash can leave `attempting` (flagged for
 *              review, never resent), whatever the timing of the provider and the ledger
 *   ending     the first answer that stops the batch (throttled too long, unavailable, a
 *              possible delivery, a refusal of the deployment) or the invocation's time
 *              running short ends the starting; what is with the provider is settled, and
 *              who was marked but never handed over has the mark taken back (notSent)
 */
import type { RecipientResult, SendRecipient } from './ports.js';
import type { Pacer } from './pacer.js';
import type { CopyRecipient } from './recipient-copy.js';
import type { Slots } from './slots.js';

/** What a provider did with one message. */
export type Attempt =
  | { kind: 'sent'; messageId: string }
  | { kind: 'failed'; error: string }
  | { kind: 'unknown'; error: string }
  | { kind: 'not-sent'; stop: boolean; refusedUs?: string };

/** Results not yet written to the ledger, and the marks to take back. */
export interface Unrecorded {
  results: Record<string, RecipientResult>;
  notSent: string[];
}

/** Why a delivery of a batch ends before its last recipient. */
export type Ending = { outcome: 'yielded' | 'deferred' } | { outcome: 'stopped'; reason: string };

/** What one settled attempt means for the batch. */
export interface Settled {
  notSent: string[];
  stop: boolean;
  refusedUs?: string;
}

/** The worker's steps the pipeline runs, in the order each recipient meets them. */
export interface PipelineSteps {
  /** Who of `recipients` is still to be mailed; the others' results (suppressed) are added to `results`. */
  screen(recipients: SendRecipient[], results: Record<string, RecipientResult>): CopyRecipient[];
  /** Records `carry` and marks `ids` attempting, in one write. */
  mark(carry: Unrecorded, ids: string[]): Promise<void>;
  attempt(recipient: CopyRecipient): Promise<Attempt>;
  /** One attempt's result added to `results`. */
  settle(recipient: CopyRecipient, attempt: Attempt, results: Record<string, RecipientResult>): Settled;
}

export interface PipelineLimits {
  atRisk: number;
  markSize: number;
  reserveMs: number;
}

export class SendPipeline {
  private next = 0;
  /** Marked in the ledger, not yet with the provider. */
  private readonly ready: CopyRecipient[] = [];
  private readonly flying = new Set<Promise<void>>();
  private writing: Promise<void> | undefined;
  private pacing: Promise<void> | undefined;
  private unrecorded: Unrecorded = { results: {}, notSent: [] };
  private end: Ending | undefined;
  private failure: { error: unknown } | undefined;
  /** Wakes the loop: a mail settled, a write landed, the pacer let one go. */
  private wake: () => void = () => undefined;

  constructor(
    private readonly steps: PipelineSteps,
    private readonly todo: SendRecipient[],
    private readonly limits: PipelineLimits,
    private readonly provider: { pacer: Pacer; slots: Slots },
    private readonly timeLeftMs: () => number,
  ) {}

  /** Runs until every recipient is settled or the batch must end; what is left to record, and why it ended early. */
  async run(): Promise<{ end?: Ending; unrecorded: Unrecorded }> {
    for (;;) {
      if (this.failure) {
        // Nothing more goes out for this delivery: a mail the pacer was holding is given back, not sent.
        this.end ??= { outcome: 'deferred' };
        throw this.failure.error;
      }
      this.launch();
      this.markAhead();
      const waitingForSlot = this.waitingForSlot();
      if (this.flying.size === 0 && !this.writing && !this.pacing && !waitingForSlot) break;
      await new Promise<void>((wake) => {
        this.wake = wake;
        // Another batch of this worker holds every slot: a slot it gives back wakes this one.
        if (waitingForSlot) void this.provider.slots.freed().then(wake);
      });
    }
    // Marked but never handed over: the mark is taken back, and the next delivery sends them.
    this.unrecorded.notSent.push(...this.ready.splice(0).map((r) => r.id));
    return { ...(this.end ? { end: this.end } : {}), unrecorded: this.unrecorded };
  }

  /** The next recipients marked, with the results so far, when the marks stay within `atRisk`. */
  private markAhead(): void {
    if (this.writing || this.end || this.next >= this.todo.length) return;
    const { atRisk, markSize } = this.limits;
    // Only as far ahead as keeps the provider fed: marks made long before their mail are flagged by a crash all the same.
    if (this.ready.length > markSize / 2) return;
    const room = atRisk - this.flying.size - this.ready.length;
    if (room < Math.min(markSize, this.todo.length - this.next)) return;
    const marking: CopyRecipient[] = [];
    while (marking.length < Math.min(markSize, room) && this.next < this.todo.length) {
      const want = Math.min(markSize, room) - marking.length;
      const group = this.todo.slice(this.next, this.next + want);
      this.next += group.length;
      marking.push(...this.steps.screen(group, this.unrecorded.results));
    }
    // No one left to mail: the suppressed go with the batch's last write.
    if (marking.length === 0) return;
    const carry = this.unrecorded;
    this.unrecorded = { results: {}, notSent: [] };
    this.writing = this.steps
      .mark(
        carry,
        marking.map((r) => r.id),
      )
      .then(
        () => {
          this.writing = undefined;
          this.ready.push(...marking);
          this.wake();
        },
        (error: unknown) => {
          this.writing = undefined;
          this.failure ??= { error };
          this.wake();
        },
      );
  }

  private waitingForSlot(): boolean {
    return !this.end && !this.pacing && this.ready.length > 0;
  }

  /** Hands marked recipients to the provider while a slot is free, the pacer lets them go, and the invocation has time. */
  private launch(): void {
    const { pacer, slots } = this.provider;
    while (this.waitingForSlot() && slots.tryTake()) {
      const { waitMs, paceMs } = pacer.cost(1);
      if (this.timeLeftMs() < waitMs + paceMs + this.limits.reserveMs) {
        slots.give();
        this.end = { outcome: 'yielded' };
        return;
      }
      const recipient = this.ready.shift()!;
      if (pacer.takeNow(1)) {
        this.fly(recipient);
        continue;
      }
      this.pacing = pacer.take(1).then(() => {
        this.pacing = undefined;
        if (!this.end) this.fly(recipient);
        else {
          slots.give();
          this.ready.unshift(recipient);
        }
        this.wake();
      });
    }
  }

  private fly(recipient: CopyRecipient): void {
    const landed = () => {
      this.flying.delete(flight);
      this.provider.slots.give();
      this.wake();
    };
    const flight: Promise<void> = this.steps.attempt(recipient).then(
      (attempt) => {
        landed();
        this.settle(recipient, attempt);
      },
      (error: unknown) => {
        landed();
        this.failure ??= { error };
      },
    );
    this.flying.add(flight);
  }

  private settle(recipient: CopyRecipient, attempt: Attempt): void {
    const settled = this.steps.settle(recipient, attempt, this.unrecorded.results);
    this.unrecorded.notSent.push(...settled.notSent);
    // A refusal of the deployment stops the whole send, whatever ended the batch first.
    if (settled.refusedUs !== undefined && this.end?.outcome !== 'stopped') this.end = { outcome: 'stopped', reason: settled.refusedUs };
    else if (settled.stop) this.end ??= { outcome: 'deferred' };
  }
}
