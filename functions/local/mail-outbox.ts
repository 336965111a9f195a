/**
 * The local stand-in for the mail queue: a test copy (SqsMailOutbox) or a subscription
 * request (SqsSubscribeRequests) is handed to the send worker's own handling of it
 * (core/delivery/queued-mail.ts) in this process. One the worker could not finish comes back
 * after a delay, as SQS would redeliver it, until `maxReceives`.
 *
 * A subscription request is handed over after `submit` has returned, as the queue would: the
 * reader's answer never waits on, nor takes longer for, what the worker does with an address.
 */
import { randomUUID } from 'node:crypto';
import type { QueuedMailOutcome, SubscribeRequestOutcome } from '../core/delivery/queued-mail.js';
import type { MailMessage, Mailer } from '../core/mail/ports.js';
import type { QueuedMail, QueuedSubscribeRequest } from '../core/delivery/ports.js';
import type { SubscribeRequest, SubscribeRequests } from '../core/subscribers/ports.js';

export interface MailOutboxOptions {
  /** The send worker's handling of a queued mail. */
  sendQueued: (mail: QueuedMail) => Promise<QueuedMailOutcome>;
  /** The send worker's handling of a subscription request. */
  subscribe?: (request: QueuedSubscribeRequest) => Promise<SubscribeRequestOutcome>;
  /** Delay before a message comes back. Default 2 s. */
  retryDelayMs?: number;
  /** Deliveries of one message before it is given up. Default 5, as the mail queue's redrive policy. */
  maxReceives?: number;
  log?: (line: string) => void;
}

/** One message on the queue: what it is called in the log, and the worker's handling of it. */
interface Message {
  name: string;
  handle: () => Promise<QueuedMailOutcome | SubscribeRequestOutcome>;
}

export class InProcessMailOutbox implements Mailer, SubscribeRequests {
  private readonly delayed = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: MailOutboxOptions) {}

  /** Resolves after the first delivery; like the queue, it reports no provider error to the caller. */
  async send(message: MailMessage): Promise<{ messageId: string }> {
    const mail = { id: randomUUID(), message };
    await this.deliver({ name: `mail ${mail.id}`, handle: () => this.options.sendQueued(mail) }, 1);
    return { messageId: mail.id };
  }

  /** Resolves at once, as soon as the request is queued; the worker takes it on the next turn of the event loop. */
  async submit(request: SubscribeRequest): Promise<void> {
    const subscribe = this.options.subscribe;
    if (!subscribe) throw new Error('This outbox takes no subscription requests');
    if (this.closed) throw new Error('The mail outbox is closed');
    const queued = { id: randomUUID(), ...request };
    this.start({ name: `subscribe ${queued.id}`, handle: () => subscribe(queued) }, 1);
  }

  /** Resolves once nothing is being handled or due to come back. */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.delayed.size > 0) {
      if (this.running.size > 0) await Promise.all(this.running);
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Takes no more requests, drops the messages waiting to come back, and waits for those being handled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    await Promise.all(this.running);
  }

  /** Hands the message over after the caller's turn, as a queue would, and keeps track of it until it is done. */
  private start(message: Message, receive: number): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliver(message, receive));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private async deliver(message: Message, receive: number): Promise<void> {
    const log = this.options.log ?? (() => {});
    let outcome: QueuedMailOutcome | SubscribeRequestOutcome | 'failed';
    try {
      outcome = await message.handle();
    } catch (error) {
      log(`${message.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      outcome = 'failed';
    }
    if (outcome !== 'deferred' && outcome !== 'failed') {
      if (outcome !== 'sent') log(`${message.name}: ${outcome}`);
      return;
    }
    if (this.closed) return;
    if (receive >= (this.options.maxReceives ?? 5)) {
      log(`${message.name}: given up after ${receive} deliveries`);
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.start(message, receive + 1);
    }, this.options.retryDelayMs ?? 2_000);
    this.delayed.add(timer);
  }
}
