/** Reading sent mail in tests: mailparser for the structure, and the raw header block for what mailparser merges. */
import { simpleParser, type ParsedMail } from 'mailparser';

export const parseMail = (raw: Buffer | string): Promise<ParsedMail> => simpleParser(raw);

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
export function oneClickUrl(raw: Buffer | string): string {
  const value = headerValue(raw, 'List-Unsubscribe') ?? '';
  const https = /<(https?:[^>]+)>/.exec(value)?.[1];
  if (!https) throw new Error(`No HTTP(S) URI in List-Unsubscribe: ${value}`);
  return https;
}
