/**
 * The one MIME encoder both mailers use, so SES and SMTP send byte-for-byte the same kind of
 * message: multipart/alternative (plain text first, then HTML), UTF-8, quoted-printable.
 * Our List-* fields go in as prepared headers: nodemailer's `list:` option is dropped by
 * MailComposer, and a header given twice would be written twice (SES rejects that).
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailMessage } from '../core/mail/ports.js';

/** Header fields that MailComposer writes from its own options and that must not come in twice. */
const OWN_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

export function bareAddress(mailbox: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(mailbox);
  return (angle ? angle[1]! : mailbox).trim();
}

/** The message as MIME, with the Message-ID it carries (generated on the sender's domain). */
export async function composeMime(message: MailMessage, options: { date?: Date } = {}): Promise<{ raw: Buffer; messageId: string }> {
  // The object form keeps `prepared` (the array form drops it): written as given, folded at
  // spaces, never MIME-encoded (an encoded List-Id would hide its <id> from every reader).
  const headers: Record<string, { value: string; prepared: true; foldLines: true }> = {};
  for (const [key, value] of Object.entries(message.headers)) {
    if (OWN_FIELDS.has(key.toLowerCase())) throw new Error(`Header ${key} is set from the message itself, not from its headers`);
    if (/[^\x20-\x7e]/.test(value)) throw new Error(`Header ${key} must be printable ASCII on one line`);
    headers[key] = { value, prepared: true, foldLines: true };
  }
  const messageId = `<${randomUUID()}@${bareAddress(message.from).split('@')[1] ?? 'pressrun.invalid'}>`;
  const composer = new MailComposer({
    from: message.from,
    to: message.to,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers,
    messageId,
    textEncoding: 'quoted-printable',
    ...(options.date ? { date: options.date } : {}),
    // Our content is strings only; a path or URL must never make the composer read a file or fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
    xMailer: false,
  });
  return { raw: await composer.compile().build(), messageId };
}
