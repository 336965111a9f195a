/**
 * What a slug or tag looks like, without making one: slug.ts makes them (and loads a
 * transliteration table); validation and the API schema only need the pattern.
 */
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Whether `s` may be used as a slug or tag as given: lower-case ASCII words joined by single hyphens. */
export function isValidSlug(s: string): boolean {
  return s.length <= 100 && SLUG_PATTERN.test(s);
}
