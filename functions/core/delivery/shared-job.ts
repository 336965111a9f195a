/**
 * A send's job and counts, shared by the batches of that send one worker works at once (the
 * messages of one SQS invocation): the batches begun while another is in progress use its read
 * of the job (for the guardrails and a stop), and their sent mails are added to the job's counts
 * in one write once none of them is in progress. Both are bounded by `every` batches, so a worker
 * whose batches never stop overlapping still reads the job and writes its counts that often.
 *
 * What it costs: a stop, or a rate over its guardrail, is met up to `every` batches later on a
 * worker already busy with the send (its counts already lag the provider's bounce reports by
 * seconds to minutes), and a crash loses the counts of up to `every` batches, which only makes
 * the rates read higher. What it saves: two ledger round trips on all but one batch in `every`.
 */
import type { SendCounts, SendJob, SendLedger } from './ports.js';

interface Visit {
  inProgress: number;
  job: Promise<SendJob | undefined> | undefined;
  /** Batches that began on `job`. */
  uses: number;
  /** Sent by the batches that ended since the last write of the counts. */
  sent: number;
  ended: number;
}

export class SharedJobs {
  private readonly visits = new Map<string, Visit>();

  constructor(
    private readonly ledger: Pick<SendLedger, 'getJob' | 'count'>,
    private readonly every: number,
  ) {}

  /** A batch of the send begins: the send's job, as read by this batch or one begun beside it. */
  begin(digestId: string): Promise<SendJob | undefined> {
    const visit = this.visits.get(digestId) ?? { inProgress: 0, job: undefined, uses: 0, sent: 0, ended: 0 };
    this.visits.set(digestId, visit);
    visit.inProgress++;
    const job = !visit.job || visit.uses >= this.every ? this.read(visit, digestId) : visit.job;
    visit.uses++;
    return job;
  }

  /**
   * The job as it is now, for a batch about to act on a stop or a breach it met in a shared
   * read (a stopped batch's message is dropped: a resume since must not be missed); the
   * batches begun after it share this read.
   */
  reread(digestId: string): Promise<SendJob | undefined> {
    return this.read(this.visits.get(digestId), digestId);
  }

  /** A read of the job, kept as the visit's (counting its batches from none); a read that fails is not kept. */
  private read(visit: Visit | undefined, digestId: string): Promise<SendJob | undefined> {
    const read = this.ledger.getJob(digestId);
    if (!visit) return read;
    visit.job = read;
    visit.uses = 0;
    read.catch(() => {
      if (visit.job === read) visit.job = undefined;
    });
    return read;
  }

  /** The job changed here (this worker stopped the send): the next batch reads it again. */
  forget(digestId: string): void {
    const visit = this.visits.get(digestId);
    if (visit) visit.job = undefined;
  }

  /**
   * A batch of the send ended, having sent `sent` mails: they are counted now when no other
   * batch of the send is in progress here or `every` batches ended since the last count, and
   * otherwise with the batch that ends later.
   */
  async end(digestId: string, sent: number): Promise<void> {
    const visit = this.visits.get(digestId)!;
    visit.inProgress--;
    visit.sent += sent;
    visit.ended++;
    const last = visit.inProgress === 0;
    if (last) this.visits.delete(digestId);
    if (!last && visit.ended < this.every) return;
    const add: Partial<SendCounts> = { sent: visit.sent };
    visit.sent = 0;
    visit.ended = 0;
    if (add.sent! > 0) await this.ledger.count(digestId, add);
  }
}
