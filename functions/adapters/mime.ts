/**
 * The one MIME encoder both mailers use, so SES and SMTP send byte-for-byte the same kind of
 * message: multipart/alternative (plain text first, then HTML), UTF-8, quoted-printable.
 * Our List-* fields go in as prepared headers: nodemailer's `list:` option is dropped by
 * MailComposer, and a header given twice would be written twice (SES rejects that).
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import type { MailMessage, MailSegments } from '../core/mail/ports.js';

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

/**
 * The message as MIME, with the Message-ID it carries (generated on the sender's domain). A
 * message with parts (many copies of one content) is assembled from the content's literals,
 * encoded once, and this copy's values and header fields (composeFromParts).
 */
export async function composeMime(message: MailMessage, options: { date?: Date } = {}): Promise<{ raw: Buffer; messageId: string }> {
  const messageId = `<${randomUUID()}@${bareAddress(message.from).split('@')[1] ?? 'pressrun.invalid'}>`;
  if (message.parts && isPrintableAscii(message.to))
    return { raw: await composeFromParts(message, message.parts, messageId, options.date), messageId };
  return { raw: await composeWhole(message, messageId, options.date), messageId };
}

async function composeWhole(message: MailMessage, messageId: string, date: Date | undefined): Promise<Buffer> {
  // The object form keeps `prepared` (the array form drops it): written as given, folded at
  // spaces, never MIME-encoded (an encoded List-Id would hide its <id> from every reader).
  const headers: Record<string, { value: string; prepared: true; foldLines: true }> = {};
  for (const [key, value] of Object.entries(message.headers)) {
    if (OWN_FIELDS.has(key.toLowerCase())) throw new Error(`Header ${key} is set from the message itself, not from its headers`);
    if (/[^\x20-\x7e]/.test(value)) throw new Error(`Header ${key} must be printable ASCII on one line`);
    headers[key] = { value, prepared: true, foldLines: true };
  }
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
    ...(date ? { date } : {}),
    // Our content is strings only; a path or URL must never make the composer read a file or fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
    xMailer: false,
  });
  return composer.compile().build();
}

const isPrintableAscii = (value: string) => /^[\x20-\x7e]*$/.test(value);
const CRLF = '\r\n';
const LINE = 76;

/** What every copy of a content shares: its From, Reply-To and Subject fields as MailComposer writes them, its literals encoded. */
interface Shared {
  key: string;
  fields: string;
  boundary: string;
  /** The literals encoded, as the bytes every copy repeats (a copy is then joined, not re-encoded as a whole). */
  html: Buffer[];
  text: Buffer[];
}

/** Keyed by the content's html literals (the same array for every copy), so a content is encoded once per process. */
const sharedByContent = new WeakMap<readonly string[], Shared>();

const qp = (text: string) => qpWrap(qpEncode(text.replace(/\r?\n/g, CRLF)), LINE);

/**
 * A quoted-printable body from a content's encoded literals and a copy's values: each piece
 * ends with a soft line break, so pieces encoded apart join into lines of at most 76.
 */
function body(encodedLiterals: readonly Buffer[], values: readonly string[]): Buffer[] {
  const out = [encodedLiterals[0]!];
  for (let i = 0; i < values.length; i++) out.push(Buffer.from(`=${CRLF}${qp(values[i]!)}=${CRLF}`, 'latin1'), encodedLiterals[i + 1]!);
  return out;
}

/** The header fields MailComposer writes for `names`, with their folded continuation lines. */
function fieldsOf(head: string, names: ReadonlySet<string>): string {
  const lines = head.split(CRLF);
  const kept: string[] = [];
  let keeping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (keeping) kept.push(line);
      continue;
    }
    keeping = names.has(line.slice(0, line.indexOf(':')).toLowerCase());
    if (keeping) kept.push(line);
  }
  return kept.join(CRLF);
}

async function sharedOf(message: MailMessage, parts: { html: MailSegments; text: MailSegments }): Promise<Shared> {
  const key = `${message.from}\n${message.replyTo ?? ''}\n${message.subject}`;
  const known = sharedByContent.get(parts.html.literals);
  if (known?.key === key) return known;
  // The fields that name the sender and the subject, encoded as the whole-message path encodes them.
  const skeleton = await composeWhole(
    { ...message, to: 'copy@pressrun.invalid', html: '', text: '', headers: {} },
    '<x@pressrun.invalid>',
    undefined,
  );
  const head = skeleton.toString('latin1').split(`${CRLF}${CRLF}`)[0]!;
  const shared: Shared = {
    key,
    fields: fieldsOf(head, new Set(['from', 'reply-to', 'subject'])),
    boundary: `--_pressrun_${randomUUID()}`,
    html: parts.html.literals.map((literal) => Buffer.from(qp(literal), 'latin1')),
    text: parts.text.literals.map((literal) => Buffer.from(qp(literal), 'latin1')),
  };
  sharedByContent.set(parts.html.literals, shared);
  return shared;
}

/**
 * The same message as composeWhole writes (multipart/alternative, text then HTML, UTF-8,
 * quoted-printable), assembled: the content's part encoded once, each copy's own To,
 * Message-ID, Date, List-* fields and token values encoded for it.
 */
async function composeFromParts(
  message: MailMessage,
  parts: { html: MailSegments; text: MailSegments },
  messageId: string,
  date = new Date(),
): Promise<Buffer> {
  const shared = await sharedOf(message, parts);
  const head = [
    `Content-Type: multipart/alternative;${CRLF} boundary="${shared.boundary}"`,
    shared.fields,
    `To: ${message.to}`,
    `Message-ID: ${messageId}`,
    `Date: ${date.toUTCString().replace(/GMT$/, '+0000')}`,
    'MIME-Version: 1.0',
  ];
  for (const [key, value] of Object.entries(message.headers)) {
    if (OWN_FIELDS.has(key.toLowerCase())) throw new Error(`Header ${key} is set from the message itself, not from its headers`);
    if (!isPrintableAscii(value)) throw new Error(`Header ${key} must be printable ASCII on one line`);
    // Folded as MailComposer folds a prepared header: at spaces, the continuation indented.
    head.push(foldLines(`${key}: ${value}`));
  }
  const latin1 = (text: string) => Buffer.from(text, 'latin1');
  const part = (type: string, encoded: Buffer[]) => [
    latin1(
      `--${shared.boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`,
    ),
    ...encoded,
    latin1(CRLF),
  ];
  return Buffer.concat([
    latin1(`${head.join(CRLF)}${CRLF}${CRLF}`),
    ...part('text/plain', body(shared.text, parts.text.values)),
    ...part('text/html', body(shared.html, parts.html.values)),
    latin1(`--${shared.boundary}--${CRLF}`),
  ]);
}
