import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import { formatDate } from '../../../functions/core/pages/format-date.js';

describe('formatDate', () => {
  it.each([
    ['en', 'April 22, 2025'],
    ['en-GB', '22 April 2025'],
    ['fr', '22 avril 2025'],
  ])('writes the date for %s readers as %s', (language, expected) => {
    expect(formatDate('2025-04-22T09:30:00.000Z', language)).toBe(expected);
  });

  it('uses the UTC day, not the machine’s', () => {
    expect(formatDate('2025-04-22T23:30:00.000Z', 'en')).toBe('April 22, 2025');
  });

  it('names site.language when the language is not a valid tag', () => {
    expect(() => formatDate('2025-04-22T09:30:00.000Z', 'not a language!')).toThrow(PressrunError);
    try {
      formatDate('2025-04-22T09:30:00.000Z', 'not a language!');
    } catch (error) {
      expect((error as PressrunError).problems.map((p) => p.field)).toEqual(['site.language']);
    }
  });
});
