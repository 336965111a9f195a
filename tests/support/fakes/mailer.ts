/**
 * A mail provider in memory, held to SesMailer and SmtpMailer by tests/support/contracts/mailer.contract.ts.
 * It keeps every message it accepted and fails on demand, as the port says a provider fails:
 * with a MailerError whose `failure` tells whether the message may have been accepted.
 */
import { MailerError, type MailFailure } from '../../../functions/core/mail/mailer-error.js';
import type { Mailer, MailMessage } from '../../../functions/core/mail/ports.js';

/**
 * What the provider does with one call: accept it, or fail without taking it (throttle,
 * reject, unavailable), or take it and lose the answer (timeout-after-accepting: the message
 * was delivered, the caller hears `unknown`).
 */
export type MailerBehaviour = 'accept' | 'throttle' | 'reject' | 'unavailable' | 'access-denied' | 'timeout-after-accepting';

const FAILURES: Record<Exclude<MailerBehaviour, 'accept'>, { failure: MailFailure; reason: (to: string) => string }> = {
  throttle: { failure: 'throttled', reason: () => 'the provider throttled the call (maximum sending rate exceeded)' },
  reject: { failure: 'rejected', reason: (to) => `the provider refused the recipient ${to}` },
  unavailable: { failure: 'unavailable', reason: () => 'the provider is not sending right now' },
  'access-denied': { failure: 'misconfigured', reason: () => 'AccessDeniedException: not authorized to perform ses:SendEmail' },
  'timeout-after-accepting': { failure: 'unknown', reason: () => 'no answer from the provider after 5000 ms' },
};

export interface AcceptedMessage {
  message: MailMessage;
  messageId: string;
}

export class RecordingMailer implements Mailer {
  readonly accepted: AcceptedMessage[] = [];
  calls = 0;
  /** Decides each call (1-based); accept by default. */
  behaviour: (call: number, to: string) => MailerBehaviour = () => 'accept';

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const call = ++this.calls;
    // A tick, as a call to a provider would take: concurrent sends interleave.
    await new Promise((resolve) => setImmediate(resolve));
    const behaviour = this.behaviour(call, message.to);
    if (behaviour !== 'accept' && behaviour !== 'timeout-after-accepting') {
      throw new MailerError(FAILURES[behaviour].failure, FAILURES[behaviour].reason(message.to));
    }
    const messageId = `fake-message-${call}`;
    this.accepted.push({ message: structuredClone(message), messageId });
    if (behaviour === 'timeout-after-accepting') throw new MailerError('unknown', FAILURES[behaviour].reason(message.to));
    return { messageId };
  }

  /** How many messages each address received. */
  deliveries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { message } of this.accepted) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
    return counts;
  }
}
