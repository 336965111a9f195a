/**
 * The local stand-in for the mail queue (SqsMailOutbox): a confirmation or test copy is
 * handed to the send worker's own handling of queued mails (core/delivery/queued-mail.ts)
 * at once, in this process. One the provider did not take comes back after a delay, as
 * SQS would redeliver it, until `maxReceives`.
 */
import { randomUUID } from 'node:crypto';
import type { QueuedMailOutcome } from '../core/delivery/queued-mail.js';
import type { MailMessage, Mailer } from '../core/mail/ports.js';
import type { QueuedMail } from '../core/delivery/ports.js';

export interface MailOutboxOptions {
  /** The send worker's handling of a queued mail. */
  sendQueued: (mail: QueuedMail) => Promise<QueuedMailOutcome>;
  /** Delay before a mail comes back. Default 2 s. */
  retryDelayMs?: number;
  /** Deliveries of one mail before it is given up. Default 5, as the mail queue's redrive policy. */
  maxReceives?: number;
  log?: (line: string) => void;
}

export class InProcessMailOutbox implements Mailer {
  private readonly delayed = new Set<NodeJS.Timeout>();

  constructor(private readonly options: MailOutboxOptions) {}

  /** Resolves after the first delivery; like the queue, it reports no provider error to the caller. */
  async send(message: MailMessage): Promise<{ messageId: string }> {
    const mail = { id: randomUUID(), message };
    await this.deliver(mail, 1);
    return { messageId: mail.id };
  }

  /** Drops the mails waiting to come back. */
  close(): void {
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
  }

  private async deliver(mail: QueuedMail, receive: number): Promise<void> {
    const log = this.options.log ?? (() => {});
    let outcome: QueuedMailOutcome | 'failed';
    try {
      outcome = await this.options.sendQueued(mail);
    } catch (error) {
      log(`mail ${mail.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      outcome = 'failed';
    }
    if (outcome !== 'deferred' && outcome !== 'failed') {
      if (outcome !== 'sent') log(`mail ${mail.id}: ${outcome}`);
      return;
    }
    if (receive >= (this.options.maxReceives ?? 5)) {
      log(`mail ${mail.id}: given up after ${receive} deliveries`);
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      void this.deliver(mail, receive + 1);
    }, this.options.retryDelayMs ?? 2_000);
    this.delayed.add(timer);
  }
}
