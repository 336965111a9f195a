/** Reading sent mail in tests: mailparser for the structure, and the raw header block for what mailparser merges. */
import type { ParsedMail } from 'mailparser';
import type { MailMessage } from '../../functions/core/mail/ports.js';

/** mailparser is loaded on first use: the core tests read MailMessages and never need it. */
export const parseMail = async (raw: Buffer | string): Promise<ParsedMail> => (await import('mailparser')).simpleParser(raw);

/** The header fields as sent, unfolded, in order: mailparser folds List-* fields into one `list` object. */
export function rawHeaders(raw: Buffer | string): Array<{ name: string; value: string }> {
  const text = raw.toString();
  const end = text.search(/\r?\n\r?\n/);
  const block = text.slice(0, end).replace(/\r?\n[ \t]+/g, ' ');
  return block.split(/\r?\n/).map((line) => {
    const colon = line.indexOf(':');
    return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
  });
}

export const headerCount = (raw: Buffer | string, name: string): number =>
  rawHeaders(raw).filter((h) => h.name.toLowerCase() === name.toLowerCase()).length;

export const headerValue = (raw: Buffer | string, name: string): string | undefined =>
  rawHeaders(raw).find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** The HTTPS URI of List-Unsubscribe. */
export const oneClickUrl = (raw: Buffer | string): string => httpUriIn(headerValue(raw, 'List-Unsubscribe') ?? '');

function httpUriIn(listUnsubscribe: string): string {
  const https = /<(https?:[^>]+)>/.exec(listUnsubscribe)?.[1];
  if (!https) throw new Error(`No HTTP(S) URI in List-Unsubscribe: ${listUnsubscribe}`);
  return https;
}

/** How many of a MailMessage's header fields have this name, in any case. */
export const messageHeaderCount = (message: MailMessage, name: string): number =>
  Object.keys(message.headers).filter((field) => field.toLowerCase() === name.toLowerCase()).length;

/** A MailMessage's header field of this name, in any case. */
export const messageHeader = (message: MailMessage, name: string): string | undefined =>
  Object.entries(message.headers).find(([field]) => field.toLowerCase() === name.toLowerCase())?.[1];

/** The HTTPS URI of a MailMessage's List-Unsubscribe. */
export const messageOneClickUrl = (message: MailMessage): string => httpUriIn(messageHeader(message, 'List-Unsubscribe') ?? '');
