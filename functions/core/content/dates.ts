/** Nothing was published on the web before this; an earlier date is a typo (or an epoch-zero bug). */
export const EARLIEST_DATE = new Date('1995-01-01T00:00:00.000Z');
/** Readers' clocks and ours may differ a little; anything later than this past `at` is a wrong date. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The one rule of plausible dates, applied where an article is written and again at the feed
 * gate: a date a feed shows at `at` is not before 1995 and not after `at`.
 */
export function implausibleDate(when: Date, at: Date): 'too-early' | 'too-late' | undefined {
  if (when < EARLIEST_DATE) return 'too-early';
  return when.getTime() > at.getTime() + CLOCK_SKEW_MS ? 'too-late' : undefined;
}

/**
 * RFC 3339 date-time with a time zone (T or a space between date and time), or a bare date.
 * A time without a zone is refused: it would be read in the server's local time zone and
 * give a different instant on another machine.
 */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2})))?$/;

export const DATE_FORMAT_MESSAGE =
  'must be an RFC 3339 date-time with a time zone, e.g. 2025-04-22T09:30:00Z, or a date, e.g. 2025-04-22';
export const EARLY_DATE_MESSAGE = 'must not be before 1995-01-01';

/** The instant `value` names, or undefined when it is not a well-formed, existing date. A bare date is midnight UTC. */
// eslint-disable-next-line complexity -- the date formats an article may carry, one branch each
export function parseArticleDate(value: string): Date | undefined {
  const match = DATE_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', , offH = '0', offM = '0'] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  // Date.parse rolls 2025-02-30 over to March 2nd; a typo should not move an article.
  if (calendarDay.getUTCFullYear() !== year || calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) {
    return undefined;
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(offH) > 23 || Number(offM) > 59) return undefined;
  const iso = value.trim().replace(' ', 'T');
  const date = new Date(match[4] === undefined ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Why `value` cannot be an article date, or undefined when it can. */
export function articleDateProblem(value: string): string | undefined {
  const date = parseArticleDate(value);
  if (!date) return DATE_FORMAT_MESSAGE;
  if (date < EARLIEST_DATE) return EARLY_DATE_MESSAGE;
  return undefined;
}
