/**
 * Reading SES notifications (configuration-set event publishing, or identity feedback
 * notifications, as delivered by SNS): which addresses to suppress for good. Only hard
 * bounces and complaints count; transient bounces, deliveries and the rest change nothing.
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

/** The suppressions a notification asks for; throws 'malformed' for a message that is not JSON. */
export function suppressionsFrom(snsMessage: string): SuppressionRequest[] {
  let message: unknown;
  try {
    message = JSON.parse(snsMessage);
  } catch (cause) {
    throw new PressrunError('malformed', 'The SNS message is not JSON', [{ field: 'Message', message: (cause as Error).message }], {
      cause,
    });
  }
  if (!isObject(message)) return [];
  const type = message.eventType ?? message.notificationType;
  if (type === 'Bounce' && isObject(message.bounce) && message.bounce.bounceType === 'Permanent') {
    return recipients(message.bounce.bouncedRecipients).map((email) => ({ email, reason: 'bounced' }));
  }
  if (type === 'Complaint' && isObject(message.complaint)) {
    return recipients(message.complaint.complainedRecipients).map((email) => ({ email, reason: 'complained' }));
  }
  return [];
}
