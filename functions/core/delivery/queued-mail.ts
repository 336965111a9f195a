/**
 * Sending a mail the API queued (a confirmation, a test copy) at most once. The queue may
 * deliver a message twice and a worker may die mid-send, so the mail is claimed first:
 *
 *   claimed before      another delivery has it (sent, or maybe sent): nothing is mailed
 *   not accepted        throttled or unavailable: the claim is given back and the message
 *                       comes again (deferred)
 *   rejected            the provider refuses this address or message for good: dropped
 *   unknown             the provider may have accepted it: kept claimed, never resent
 */
import { mailFailureOf } from '../mail/mailer-error.js';
import type { MailClaims, QueuedMail } from './ports.js';
import type { Mailer } from '../mail/ports.js';

export type QueuedMailOutcome = 'sent' | 'already-handled' | 'deferred' | 'rejected' | 'unknown';

export interface QueuedMailDeps {
  mailer: Mailer;
  claims: MailClaims;
  now: () => Date;
}

export async function sendQueuedMail(deps: QueuedMailDeps, mail: QueuedMail): Promise<QueuedMailOutcome> {
  if (!(await deps.claims.claim(mail.id, deps.now()))) return 'already-handled';
  try {
    await deps.mailer.send(mail.message);
    return 'sent';
  } catch (error) {
    const failure = mailFailureOf(error);
    if (failure === 'rejected' || failure === 'unknown') return failure;
    await deps.claims.release(mail.id);
    return 'deferred';
  }
}
