/**
 * Reading SES notifications (configuration-set event publishing, or identity feedback
 * notifications, as delivered by SNS): which addresses to suppress for good, and which
 * digest's send the mail was part of. Only hard bounces and complaints count; transient
 * bounces, deliveries and the rest change nothing.
 */
import { PressrunError } from '../errors.js';
import { addressOf } from './address-of.js';
import type { Suppression } from './rules.js';

export interface SuppressionRequest {
  email: string;
  reason: Suppression;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function recipients(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => (isObject(entry) && typeof entry.emailAddress === 'string' ? [addressOf(entry.emailAddress)] : []));
}

/** What one notification tells: the addresses to suppress, and the digest whose send the mail was part of. */
export interface SesFeedback {
  suppressions: SuppressionRequest[];
  /**
   * From the message tags event publishing returns (`mail.tags`: each name with a list of
   * values): a digest mail is tagged `kind: digest` and `digest: <id>`. A test copy, another
   * mail, or an identity notification (which carries no tags) names none.
   */
  digestId?: string;
}

/** Reads a notification; throws 'malformed' for a message that is not JSON. */
export function sesFeedback(snsMessage: string): SesFeedback {
  let message: unknown;
  try {
    message = JSON.parse(snsMessage);
  } catch (cause) {
    throw new PressrunError('malformed', 'The SNS message is not JSON', [{ field: 'Message', message: (cause as Error).message }], {
      cause,
    });
  }
  if (!isObject(message)) return { suppressions: [] };
  const digestId = digestTagOf(message.mail);
  return { suppressions: suppressionsOf(message), ...(digestId !== undefined ? { digestId } : {}) };
}

/** The suppressions a notification asks for; throws 'malformed' for a message that is not JSON. */
export function suppressionsFrom(snsMessage: string): SuppressionRequest[] {
  return sesFeedback(snsMessage).suppressions;
}

/** The digest whose send the notification's mail was part of, if any (SesFeedback.digestId). */
export function digestOfEvent(snsMessage: string): string | undefined {
  return sesFeedback(snsMessage).digestId;
}

function suppressionsOf(message: Json): SuppressionRequest[] {
  const type = message.eventType ?? message.notificationType;
  if (type === 'Bounce' && isObject(message.bounce) && message.bounce.bounceType === 'Permanent') {
    return recipients(message.bounce.bouncedRecipients).map((email) => ({ email, reason: 'bounced' }));
  }
  if (type === 'Complaint' && isObject(message.complaint)) {
    return recipients(message.complaint.complainedRecipients).map((email) => ({ email, reason: 'complained' }));
  }
  return [];
}

const onlyValue = (values: unknown): string | undefined =>
  Array.isArray(values) && values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;

function digestTagOf(mail: unknown): string | undefined {
  if (!isObject(mail) || !isObject(mail.tags) || onlyValue(mail.tags.kind) !== 'digest') return undefined;
  return onlyValue(mail.tags.digest);
}
