import { describe, expect, it } from 'vitest';
import { composeMime } from '../../functions/adapters/mime.js';
import type { MailMessage } from '../../functions/core/mail/ports.js';
import { headerCount, headerValue, parseMail } from '../support/mail.js';

function makeMessage(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    from: '"The Example Times (daily)" <digest@news.example.com>',
    to: 'reader@example.com',
    subject: 'Zwei neue Artikel – über Brücken',
    html: '<p>Grüße from <a href="https://news.example.com/">the site</a></p>',
    text: 'Grüße from the site: https://news.example.com/',
    headers: {
      'List-Unsubscribe': `<https://news.example.com/api/unsubscribe?token=${'a'.repeat(60)}.${'b'.repeat(43)}>, <mailto:unsubscribe@news.example.com?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '"The Example Times (daily)" <digest.news.example.com>',
    },
    ...overrides,
  };
}

describe('composeMime', () => {
  it('writes multipart/alternative with the plain text first, both in UTF-8', async () => {
    const { raw } = await composeMime(makeMessage());
    const mail = await parseMail(raw);
    expect(headerValue(raw, 'Content-Type')).toMatch(/^multipart\/alternative;/);
    expect(mail.text?.trim()).toBe('Grüße from the site: https://news.example.com/');
    expect(mail.html).toContain('Grüße from');
    expect(mail.subject).toBe('Zwei neue Artikel – über Brücken');
    expect(raw.toString().indexOf('text/plain')).toBeLessThan(raw.toString().indexOf('text/html'));
    expect(raw.toString()).toMatch(/charset=utf-8/i);
  });

  it.each(['List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Id', 'From', 'To', 'Subject', 'Message-ID', 'Date'])(
    'writes %s exactly once',
    async (name) => {
      const { raw } = await composeMime(makeMessage());
      expect(headerCount(raw, name)).toBe(1);
    },
  );

  it('writes List-* fields as given (folded, never MIME-encoded) so receivers can read them', async () => {
    const message = makeMessage();
    const { raw } = await composeMime(message);
    expect(headerValue(raw, 'List-Id')).toBe(message.headers['List-Id']);
    expect(headerValue(raw, 'List-Unsubscribe')).toBe(message.headers['List-Unsubscribe']);
    const mail = await parseMail(raw);
    const list = mail.headers.get('list') as { unsubscribe?: Array<{ url: string }>; id?: { id: string } };
    expect(list.id?.id).toBe('digest.news.example.com');
  });

  it('returns the Message-ID it wrote, on the sender’s domain', async () => {
    const { raw, messageId } = await composeMime(makeMessage());
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@news\.example\.com>$/);
    expect(headerValue(raw, 'Message-ID')).toBe(messageId);
  });

  it.each([
    ['a header that would span lines', { 'X-Note': 'one\r\nBcc: victim@example.com' }],
    ['a non-ASCII header value', { 'List-Id': 'Über <digest.example.com>' }],
    ['a field the message sets itself', { Subject: 'Another subject' }],
  ])('refuses %s', async (_what, headers) => {
    await expect(composeMime(makeMessage({ headers }))).rejects.toThrow(/Header/);
  });
});
