import { describe, expect, it } from 'vitest';
import { tokensMatch } from '../../functions/http/auth.js';

describe('tokensMatch', () => {
  it.each([
    ['the same token', 's3cret-token', 's3cret-token', true],
    ['a token differing in its last character', 's3cret-token', 's3cret-tokeN', false],
    ['a shorter prefix of the token', 's3cret', 's3cret-token', false],
    ['a longer token starting with it', 's3cret-token-and-more', 's3cret-token', false],
    ['an empty token', '', 's3cret-token', false],
    ['the same non-ASCII token', 'jeton-été', 'jeton-été', true],
    ['a token differing only in Unicode normalization', 'e\u0301', '\u00e9', false],
  ])('answers for %s', (_case, given, expected, result) => {
    expect(tokensMatch(given, expected)).toBe(result);
  });

  it('compares tokens of different lengths without throwing, unlike a bare timingSafeEqual', () => {
    expect(() => tokensMatch('a', 'a much longer token than the given one')).not.toThrow();
  });
});
