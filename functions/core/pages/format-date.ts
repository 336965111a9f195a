import { PressrunError } from '../errors.js';

// Building an Intl.DateTimeFormat costs far more than using one; a site renders
// thousands of dates in one language, so keep one formatter per language.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(language: string): Intl.DateTimeFormat {
  let formatter = formatters.get(language);
  if (!formatter) {
    try {
      // UTC, not the machine's zone: the same input must give the same page anywhere.
      formatter = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    } catch (cause) {
      throw new PressrunError(
        'invalid',
        `Unknown language "${language}"`,
        [{ field: 'site.language', message: 'must be a BCP 47 language tag such as "en" or "fr-CA"' }],
        { cause },
      );
    }
    formatters.set(language, formatter);
  }
  return formatter;
}

/** A reader-facing date such as "22 April 2025" for an RFC 3339 timestamp, in the site's language. */
export function formatDate(iso: string, language: string): string {
  return formatterFor(language).format(Date.parse(iso));
}
