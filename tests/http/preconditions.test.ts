import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../functions/core/errors.js';
import { etagOf, matchedVersion, parseIfMatch, requireIfMatch } from '../../functions/http/preconditions.js';

describe('etagOf', () => {
  it('quotes the version as a strong entity tag', () => {
    expect(etagOf(7)).toBe('"7"');
  });
});

describe('matchedVersion', () => {
  it.each([
    ['the current version', '"3"', 3],
    ['a list holding the current version', '"1", "3"', 3],
    ['*', '*', 3],
  ])('lets an edit through when If-Match names %s', (_case, header, expected) => {
    expect(matchedVersion(parseIfMatch(header)!, 3)).toBe(expected);
  });

  it.each([
    ['an older version', '"2"'],
    ['the current version as a weak tag (If-Match compares strongly)', 'W/"3"'],
    ['a tag that is not a version', '"abc"'],
  ])('refuses with a conflict on if-match when If-Match names %s', (_case, header) => {
    const attempt = () => matchedVersion(parseIfMatch(header)!, 3);
    expect(attempt).toThrow(PressrunError);
    expect(attempt).toThrow(expect.objectContaining({ kind: 'conflict', problems: [expect.objectContaining({ field: 'if-match' })] }));
  });
});

describe('parseIfMatch', () => {
  it('reads an absent header as no precondition', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it.each([['3'], ['"3'], ['"3", 4'], [''], ['W/3']])('refuses the unquoted or broken header %j as malformed', (header) => {
    expect(() => parseIfMatch(header)).toThrow(
      expect.objectContaining({ kind: 'malformed', problems: [expect.objectContaining({ field: 'if-match' })] }),
    );
  });
});

describe('requireIfMatch', () => {
  it('asks for the header with a 428 when it is missing', () => {
    expect(() => requireIfMatch(undefined)).toThrow(PressrunError);
    expect(() => requireIfMatch(undefined)).toThrow(expect.objectContaining({ kind: 'precondition-required' }));
  });
});
