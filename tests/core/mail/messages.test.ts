import { describe, expect, it } from 'vitest';
import { confirmationMessage, digestMessage, ONE_CLICK } from '../../../functions/core/mail/messages.js';
import { defaultListId, quotedPhrase } from '../../../functions/core/mail/mail-settings.js';
import { makeMailSettings, makeSite } from '../../support/factories.js';

const copy = (overrides = {}) => ({
  html: '<p>Hello</p>',
  text: 'Hello',
  to: 'reader@example.com',
  unsubscribeUrl: 'https://news.example.com/api/unsubscribe?token=abc.def',
  unsubscribeToken: 'abc.def',
  ...overrides,
});

describe('the digest message', () => {
  it('carries one-click unsubscribe (HTTPS first, then mailto), List-Unsubscribe-Post and List-Id', () => {
    const message = digestMessage(makeMailSettings(), { id: '2025-06-01-abcd1234', subject: 'Two new articles' }, copy());
    expect(message.headers).toEqual({
      'List-Unsubscribe':
        '<https://news.example.com/api/unsubscribe?token=abc.def>, <mailto:unsubscribe@news.example.com?subject=unsubscribe%20abc.def>',
      'List-Unsubscribe-Post': ONE_CLICK,
      'List-Id': '"The Example Times" <digest.news.example.com>',
    });
    expect(message).toMatchObject({
      to: 'reader@example.com',
      subject: 'Two new articles',
      tags: { kind: 'digest', digest: '2025-06-01-abcd1234' },
    });
  });

  it('marks a test copy in its subject and headers', () => {
    const message = digestMessage(
      makeMailSettings({ replyTo: 'editors@news.example.com' }),
      { id: 'd', subject: 'Two new articles' },
      copy({ test: true }),
    );
    expect(message.subject).toBe('[Test] Two new articles');
    expect(message.headers['X-Pressrun-Test']).toBe('yes');
    expect(message.replyTo).toBe('editors@news.example.com');
    expect(message.tags?.kind).toBe('digest-test');
  });
});

describe('the confirmation message', () => {
  it('links to the confirm page in both parts and says how long the link works', () => {
    const url = 'https://news.example.com/api/confirm?token=x.y';
    const message = confirmationMessage(makeSite(), makeMailSettings(), 'reader@example.com', url, 3);
    expect(message.text).toContain(url);
    expect(message.html).toContain(`href="${url}"`);
    expect(message.text).toContain('3 days');
    expect(message.headers).toEqual({});
  });

  it('escapes the site title in the HTML part', () => {
    const message = confirmationMessage(
      makeSite({ title: 'A <b>bold</b> & "quoted" site' }),
      makeMailSettings(),
      'r@example.com',
      'https://x.example/c?token=a',
      3,
    );
    expect(message.html).not.toContain('<b>bold</b>');
    expect(message.html).toContain('A &#60;b&#62;bold&#60;/b&#62; &#38; &#34;quoted&#34; site');
  });
});

describe('mail settings', () => {
  it.each([
    ['Pressrun', '"Pressrun"'],
    ['Pressrun (local)', '"Pressrun (local)"'],
    ['The "Daily", Inc.', '"The \\"Daily\\", Inc."'],
  ])('quotes the display name %j as %s', (name, quoted) => {
    expect(quotedPhrase(name)).toBe(quoted);
  });

  it('names the list under the site domain', () => {
    expect(defaultListId({ title: 'Example News', baseUrl: 'https://news.example.com/' })).toBe('"Example News" <digest.news.example.com>');
  });
});
