/**
 * How a send failed, in the only terms that matter for never mailing anyone twice:
 *
 *   throttled    not accepted: over the provider's rate or quota; retry later with backoff,
 *                counted neither as sent nor as failed (SES ThrottlingException, SMTP 421/451/454 …)
 *   rejected     not accepted, and never will be: this recipient or message is refused (SMTP 5xx, SES MessageRejected)
 *   unavailable  not accepted: the provider cannot be reached or asked right now (connection
 *                refused, expired credentials); retry later
 *   misconfigured  not accepted, and no message will be until an operator acts: the provider
 *                refuses this deployment (access denied, an unverified sender, sending paused);
 *                a send stops and says why instead of retrying into a dead-letter queue
 *   unknown      the provider may have accepted it (a timeout or a dropped connection after
 *                the message went out): never resent, flagged for review
 */
import { PressrunError, type ErrorKind } from '../errors.js';

export type MailFailure = 'throttled' | 'rejected' | 'unavailable' | 'misconfigured' | 'unknown';

const kinds: Record<MailFailure, ErrorKind> = {
  throttled: 'rate-limited',
  rejected: 'invalid',
  unavailable: 'unavailable',
  misconfigured: 'unavailable',
  unknown: 'unavailable',
};

export class MailerError extends PressrunError {
  constructor(
    readonly failure: MailFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(kinds[failure], message, failure === 'rejected' ? [{ field: 'to', message }] : [], options);
    this.name = 'MailerError';
  }
}

/** Anything a mailer throws that is not a MailerError is a bug or an outage of unknown effect. */
export function mailFailureOf(error: unknown): MailFailure {
  return error instanceof MailerError ? error.failure : 'unknown';
}
