/**
 * Many copies of one content: composeMime assembles each from the content's literals, encoded
 * once, and the copy's own values and fields. What a reader's mail client reads must be exactly
 * what the whole-message encoder writes, for real digests and for awkward values.
 */
import { describe, expect, it } from 'vitest';
import { composeMime } from '../../functions/adapters/mime.js';
import { copyMaker } from '../../functions/core/delivery/recipient-copy.js';
import type { MailMessage } from '../../functions/core/mail/ports.js';
import { InMemoryDigestStore } from '../support/fakes/digest-store.js';
import { storeDigest, TOKEN_SECRET } from '../support/delivery-data.js';
import { makeMailSettings, makeSite } from '../support/factories.js';
import { headerCount, headerValue, parseMail } from '../support/mail.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');

async function copies(count: number, mail = makeMailSettings()): Promise<MailMessage[]> {
  const digest = await storeDigest(new InMemoryDigestStore(), '2025-06-01-parts');
  const make = copyMaker({ site: makeSite(), mail, tokenSecret: TOKEN_SECRET }, digest);
  return Array.from({ length: count }, (_, i) => make({ id: `reader-${i}`, email: `reader-${i}@example.com`, generation: 1 }, NOW));
}

/** What a mail client sees of a message: its fields and both parts. */
async function asRead(raw: Buffer) {
  const mail = await parseMail(raw);
  const field = (name: string) => headerValue(raw, name);
  return {
    from: mail.from?.text,
    to: (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text,
    replyTo: mail.replyTo?.text,
    subject: mail.subject,
    listUnsubscribe: field('List-Unsubscribe'),
    listUnsubscribePost: field('List-Unsubscribe-Post'),
    listId: field('List-Id'),
    text: mail.text,
    html: mail.html,
  };
}

describe('composeMime for copies of one content', () => {
  it('writes each copy as the whole-message encoder does: the same fields, text and HTML a mail client reads', async () => {
    const messages = await copies(3, makeMailSettings({ replyTo: '"Rédaction" <redaction@news.example.com>' }));
    for (const message of messages) {
      expect(message.parts).toBeDefined();
      const { parts: _parts, ...whole } = message;
      const [assembled, composed] = await Promise.all([composeMime(message, { date: NOW }), composeMime(whole, { date: NOW })]);
      expect(await asRead(assembled.raw)).toEqual(await asRead(composed.raw));
      for (const name of ['From', 'To', 'Subject', 'Message-ID', 'Date', 'List-Unsubscribe', 'Content-Type', 'MIME-Version'])
        expect(headerCount(assembled.raw, name), name).toBe(1);
    }
  });

  it('keeps every line within 76 characters, and each copy its own links and Message-ID', async () => {
    const [first, second] = await copies(2);
    const a = await composeMime(first!);
    const b = await composeMime(second!);
    const body = (raw: Buffer) => raw.toString('latin1').split('\r\n\r\n').slice(1).join('\r\n\r\n');
    for (const raw of [a.raw, b.raw])
      expect(
        body(raw)
          .split('\r\n')
          .filter((line) => line.length > 76),
      ).toEqual([]);
    expect(a.messageId).not.toBe(b.messageId);
    const [readA, readB] = [await asRead(a.raw), await asRead(b.raw)];
    expect(readA.listUnsubscribe).not.toEqual(readB.listUnsubscribe);
    expect(readA.html).not.toBe(readB.html);
    expect(readA.html).toBe(first!.html);
    expect(readA.text?.trim()).toBe(first!.text.trim());
  });

  it('decodes values and literals exactly, whatever they end or begin with', async () => {
    const literals = ['Größe  ', '\n=\tx ', '', ' end ü\n'];
    const values = ['a=b c ', ' https://x.example/?t=1&u=2 ', 'é'];
    const text = literals.map((literal, i) => literal + (values[i] ?? '')).join('');
    const message: MailMessage = {
      from: 'digest@news.example.com',
      to: 'reader@example.com',
      subject: 'Mixed',
      html: `<p>${text}</p>`,
      text,
      headers: {},
      parts: {
        html: { literals: [`<p>${literals[0]}`, ...literals.slice(1, -1), `${literals[3]}</p>`], values },
        text: { literals, values },
      },
    };
    const read = await asRead((await composeMime(message)).raw);
    expect(read.text).toBe(text);
    expect(read.html).toBe(`<p>${text}</p>`);
  });
});
