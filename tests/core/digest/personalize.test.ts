import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import { DIGEST_TOKENS, compilePersonalizer, personalizeDigest } from '../../../functions/core/digest/personalize.js';
import type { DigestTokenValues } from '../../../functions/core/digest/personalize.js';
import { attr, elements, parseHtml } from '../pages/html.js';

const aDigest = () => ({
  html: `<p><a href="${DIGEST_TOKENS.webVersionUrl}">View in browser</a> · <a href="${DIGEST_TOKENS.unsubscribeUrl}">Unsubscribe</a></p>`,
  text: `View in your browser: ${DIGEST_TOKENS.webVersionUrl}\nUnsubscribe: ${DIGEST_TOKENS.unsubscribeUrl}\n`,
});

const values = (overrides: Partial<DigestTokenValues> = {}): DigestTokenValues => ({
  unsubscribeUrl: 'https://news.example.com/unsubscribe?token=abc&list=news',
  webVersionUrl: 'https://news.example.com/digests/2025-04-22/',
  preferencesUrl: 'https://news.example.com/api/preferences?token=def',
  ...overrides,
});

function thrown(fn: () => unknown): PressrunError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PressrunError);
    return error as PressrunError;
  }
  throw new Error('expected a PressrunError');
}

describe('personalizeDigest', () => {
  it('fills every token in both parts, leaving none', () => {
    const { html, text } = personalizeDigest(aDigest(), values());
    for (const part of [html, text]) expect(part).not.toContain('{{{pressrun:');
    expect(text).toBe(
      'View in your browser: https://news.example.com/digests/2025-04-22/\nUnsubscribe: https://news.example.com/unsubscribe?token=abc&list=news\n',
    );
  });

  it('escapes values for HTML but leaves the text part as is', () => {
    const { html, text } = personalizeDigest(aDigest(), values());
    expect(html).toContain('token=abc&amp;list=news');
    expect(elements(parseHtml(html), 'a').map((a) => attr(a, 'href'))).toEqual([
      'https://news.example.com/digests/2025-04-22/',
      'https://news.example.com/unsubscribe?token=abc&list=news',
    ]);
    expect(text).toContain('token=abc&list=news');
  });

  it('fills a token as often as it appears', () => {
    const digest = { html: `${DIGEST_TOKENS.unsubscribeUrl}|${DIGEST_TOKENS.unsubscribeUrl}|${DIGEST_TOKENS.webVersionUrl}`, text: '' };
    expect(personalizeDigest(digest, values({ unsubscribeUrl: 'u', webVersionUrl: 'w' })).html).toBe('u|u|w');
  });

  it('gives each recipient their own links', () => {
    const digest = aDigest();
    const first = personalizeDigest(digest, values({ unsubscribeUrl: 'https://x.example/u/1' }));
    const second = personalizeDigest(digest, values({ unsubscribeUrl: 'https://x.example/u/2' }));
    expect(first.text).toContain('https://x.example/u/1');
    expect(second.text).toContain('https://x.example/u/2');
    expect(second.text).not.toContain('https://x.example/u/1');
  });

  it.each(Object.keys(DIGEST_TOKENS) as Array<keyof typeof DIGEST_TOKENS>)('refuses to send without a value for %s, naming it', (name) => {
    const error = thrown(() => personalizeDigest(aDigest(), { ...values(), [name]: undefined } as unknown as DigestTokenValues));
    expect(error.problems.map((p) => p.field)).toEqual([name]);
    expect(thrown(() => personalizeDigest(aDigest(), values({ [name]: '' }))).problems.map((p) => p.field)).toEqual([name]);
  });

  it('refuses a digest carrying a token it does not know', () => {
    const error = thrown(() => personalizeDigest({ html: 'Hi {{{pressrun:first_name}}}', text: '' }, values()));
    expect(error.problems).toEqual([expect.objectContaining({ field: 'html' })]);
  });

  it('leaves text that merely looks like a token alone', () => {
    const digest = {
      html: 'Use &#123;&#123;&#123;pressrun:unsubscribe_url&#125;&#125;&#125; in templates',
      text: 'Use {{\u2060{pressrun:unsubscribe_url}}} in templates',
    };
    expect(personalizeDigest(digest, values())).toEqual(digest);
  });
});

describe('compilePersonalizer', () => {
  it('gives what personalizeDigest gives, for any number of recipients', () => {
    const personalize = compilePersonalizer(aDigest());
    for (const n of [1, 2, 3]) {
      const v = values({ unsubscribeUrl: `https://x.example/u/${n}` });
      const { html, text, parts } = personalize(v);
      expect({ html, text }).toEqual(personalizeDigest(aDigest(), v));
      // The parts spell the same documents, around literals every copy shares.
      const spell = (p: typeof parts.html) => p.literals.map((literal, i) => literal + (p.values[i] ?? '')).join('');
      expect([spell(parts.html), spell(parts.text)]).toEqual([html, text]);
      expect(parts.html.literals).toBe(personalize(values()).parts.html.literals);
    }
  });
});
