/**
 * What the API queued for the send worker, carried out at most once: a mail (a test copy)
 * and a subscription request (its confirmation mail). The queue may deliver a message twice
 * and a worker may die mid-send, so the message is claimed first:
 *
 *   claimed before      another delivery has it (sent, or maybe sent): nothing is mailed
 *   not accepted        throttled or unavailable: the claim is given back and the message
 *                       comes again (deferred)
 *   rejected            the provider refuses this address or message for good: dropped
 *   unknown             the provider may have accepted it: kept claimed, never resent
 *
 * A subscription request is also given back when the subscriber could not be read or
 * written; it changes nothing when carried out again (subscribers/subscriptions.ts).
 */
import { mailFailureOf } from '../mail/mailer-error.js';
import type { MailClaims, QueuedMail, QueuedSubscribeRequest } from './ports.js';
import type { MailMessage, Mailer } from '../mail/ports.js';
import { applySubscribeRequest, type SubscribeResult, type SubscriptionDeps } from '../subscribers/subscriptions.js';

export type QueuedMailOutcome = 'sent' | 'already-handled' | 'deferred' | 'rejected' | 'unknown';

/** Besides a mail's outcomes: over the address's limit, or nothing to mail (confirmed or suppressed). */
export type SubscribeRequestOutcome = QueuedMailOutcome | 'limited' | 'nothing-to-mail';

export interface QueuedMailDeps {
  mailer: Mailer;
  claims: MailClaims;
  now: () => Date;
}

export async function sendQueuedMail(deps: QueuedMailDeps, mail: QueuedMail): Promise<QueuedMailOutcome> {
  if (!(await deps.claims.claim(mail.id, deps.now()))) return 'already-handled';
  return sendClaimed(deps, mail.id, mail.message);
}

/** A subscription request the API accepted (subscribers/subscriptions.ts: acceptSubscription), carried out now. */
export async function carryOutSubscribeRequest(
  deps: QueuedMailDeps & { subscriptions: SubscriptionDeps },
  request: QueuedSubscribeRequest,
): Promise<SubscribeRequestOutcome> {
  if (!(await deps.claims.claim(request.id, deps.now()))) return 'already-handled';
  let result: SubscribeResult;
  try {
    result = await applySubscribeRequest(deps.subscriptions, {
      email: request.email,
      source: request.source,
      now: new Date(request.at),
      preferences: request.preferences,
    });
  } catch (error) {
    await deps.claims.release(request.id);
    throw error;
  }
  if (result.outcome !== 'mail') return result.outcome;
  return sendClaimed(deps, request.id, result.message);
}

async function sendClaimed(deps: QueuedMailDeps, id: string, message: MailMessage): Promise<QueuedMailOutcome> {
  try {
    await deps.mailer.send(message);
    return 'sent';
  } catch (error) {
    const failure = mailFailureOf(error);
    if (failure === 'rejected' || failure === 'unknown') return failure;
    await deps.claims.release(id);
    return 'deferred';
  }
}
