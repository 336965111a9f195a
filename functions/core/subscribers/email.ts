/**
 * Email addresses as subscribers give them: normalized once where they enter, so the same
 * reader is the same subscriber however they typed their address.
 */
import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { PressrunError } from '../errors.js';

/** RFC 5321: a path holds at most 256 octets, so an address at most 254. */
export const MAX_EMAIL_LENGTH = 254;

// Unquoted local parts only (RFC 5322 dot-atom): quoted ones are legal but practically unused and a favourite of abuse.
const localPart = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

const refuse = (message: string) => new PressrunError('invalid', 'The email address is not valid', [{ field: 'email', message }]);

/**
 * The address trimmed and in lower case, with an international domain in its ASCII form.
 * Local parts are case-sensitive in theory only: no provider treats them so, and one reader
 * must not become two subscribers. Throws an 'invalid' PressrunError naming `email`.
 */
export function normalizeEmail(raw: unknown): string {
  if (typeof raw !== 'string') throw refuse('must be a string');
  const trimmed = raw.normalize('NFC').trim();
  if (trimmed === '') throw refuse('must not be empty');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) throw refuse('must look like name@example.com');
  const local = trimmed.slice(0, at).toLowerCase();
  const domain = domainToASCII(
    trimmed
      .slice(at + 1)
      .toLowerCase()
      .replace(/\.$/, ''),
  );
  if (local.length > 64 || !localPart.test(local)) throw refuse('has a name part (before the @) that cannot receive mail');
  const labels = domain.split('.');
  if (domain === '' || labels.length < 2 || !labels.every((l) => label.test(l)) || /^\d+$/.test(labels.at(-1)!)) {
    throw refuse('has a domain (after the @) that cannot receive mail');
  }
  const email = `${local}@${domain}`;
  if (email.length > MAX_EMAIL_LENGTH) throw refuse(`must be at most ${MAX_EMAIL_LENGTH} characters`);
  return email;
}

/**
 * A subscriber's id: a hash of the normalized address, so a subscribe finds an earlier
 * record without an index, and links and keys carry no address. 132 bits, base64url.
 */
export function subscriberId(normalizedEmail: string): string {
  return createHash('sha256').update(`pressrun-subscriber:${normalizedEmail}`).digest('base64url').slice(0, 22);
}

export const SUBSCRIBER_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
