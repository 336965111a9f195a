import { describe, expect, it } from 'vitest';
import { articleDateProblem, DATE_FORMAT_MESSAGE, EARLY_DATE_MESSAGE, parseArticleDate } from '../../../functions/core/content/dates.js';

describe('parseArticleDate', () => {
  it.each([
    ['2025-04-22', '2025-04-22T00:00:00.000Z'],
    ['2025-04-22T09:30:00Z', '2025-04-22T09:30:00.000Z'],
    ['2025-04-22t09:30:00z', '2025-04-22T09:30:00.000Z'],
    ['2025-04-22T09:30:00.123Z', '2025-04-22T09:30:00.123Z'],
    ['2025-04-22T09:30:00+02:00', '2025-04-22T07:30:00.000Z'],
    ['2025-04-22T01:00:00-05:30', '2025-04-22T06:30:00.000Z'],
    ['2025-04-22 09:30:00Z', '2025-04-22T09:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    [' 2025-04-22 ', '2025-04-22T00:00:00.000Z'],
  ])('reads %j as %s', (value, iso) => {
    expect(parseArticleDate(value)?.toISOString()).toBe(iso);
  });

  it.each([
    ['a time without a zone, which would be read in local time', '2025-04-22T09:30:00'],
    ['a day that does not exist', '2025-02-30'],
    ['February 29th of a common year', '2025-02-29'],
    ['month 13', '2025-13-01'],
    ['hour 24', '2025-04-22T24:00:00Z'],
    ['an offset of +25:00', '2025-04-22T09:30:00+25:00'],
    ['a two-digit year', '25-04-22'],
    ['a US-style date', '04/22/2025'],
    ['an RFC 822 date', 'Tue, 22 Apr 2025 09:30:00 GMT'],
    ['words', 'yesterday'],
    ['an empty string', ''],
  ])('refuses %s', (_case, value) => {
    expect(parseArticleDate(value)).toBeUndefined();
  });
});

describe('articleDateProblem', () => {
  it.each([
    ['2025-04-22', undefined],
    ['1995-01-01', undefined],
    ['2100-01-01T00:00:00Z', undefined],
    ['1994-12-31T23:59:59Z', EARLY_DATE_MESSAGE],
    ['1970-01-01', EARLY_DATE_MESSAGE],
    ['2025-04-22T09:30', DATE_FORMAT_MESSAGE],
  ])('says %j has problem %j', (value, problem) => {
    expect(articleDateProblem(value)).toBe(problem);
  });
});
