/**
 * What the SES events function does with one notification: suppress every address that
 * hard-bounced or complained, for good, and count them against the send of the digest the
 * mail was part of, for the send's guardrails (send-batch.ts stops a send whose rates pass them).
 *
 * An address is counted only when this notification is what suppresses it: SNS may deliver a
 * notification more than once, and a duplicate must not count twice. It is counted before it
 * is suppressed, so a crash in between counts it again on the retry rather than never: a
 * guardrail errs toward pausing.
 */
import type { SendLedger } from './ports.js';
import type { SubscriberStore } from '../subscribers/ports.js';
import { normalizeEmail, subscriberId } from '../subscribers/email.js';
import { suppress } from '../subscribers/rules.js';
import { sesFeedback } from '../subscribers/ses-events.js';
import { suppressAddress } from '../subscribers/subscriptions.js';

export interface SendFeedbackDeps {
  subscribers: SubscriberStore;
  ledger: Pick<SendLedger, 'count'>;
  now: () => Date;
}

/** How many addresses the notification newly suppressed; throws 'malformed' for a message that is not JSON. */
export async function recordSesFeedback(deps: SendFeedbackDeps, notification: string): Promise<{ suppressed: number }> {
  const { suppressions, digestId } = sesFeedback(notification);
  if (digestId !== undefined) {
    const counts = { bounces: 0, complaints: 0 };
    for (const { email, reason } of suppressions) {
      const id = subscriberId(normalizeEmail(email));
      const existing = await deps.subscribers.get(id);
      if (!suppress(existing, { id, email, reason, now: deps.now() })) continue;
      counts[reason === 'bounced' ? 'bounces' : 'complaints']++;
    }
    if (counts.bounces + counts.complaints > 0) await deps.ledger.count(digestId, counts);
  }
  let suppressed = 0;
  for (const { email, reason } of suppressions) {
    if (await suppressAddress(deps, { email, reason, now: deps.now() })) suppressed++;
  }
  return { suppressed };
}
