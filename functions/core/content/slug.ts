import slugifyWords from '@sindresorhus/slugify';
import { invalid } from '../errors.js';

/** Longest slug slugify() produces; long titles are cut at a word boundary below this. */
export const SLUG_MAX_LENGTH = 80;

/** A URL-safe slug for a title: transliterated to lower-case ASCII, words joined by hyphens. */
export function slugify(title: string): string {
  return toSlug(title, 'slug', 'has no letters or digits to make a slug from; give a slug explicitly');
}

/** A tag in its one canonical spelling, so "Open Source", "open-source" and "OPEN SOURCE" are one tag. */
export function normalizeTag(tag: string): string {
  return toSlug(tag, 'tags', 'has no letters or digits');
}

function toSlug(input: string, field: string, message: string): string {
  // decamelize off: "iPhone" should stay one word, not become "i-phone".
  const slug = cutAtHyphen(slugifyWords(input, { decamelize: false }), SLUG_MAX_LENGTH);
  if (slug === '') {
    throw invalid(`"${input}" ${message}`, [{ field, message }]);
  }
  return slug;
}

function cutAtHyphen(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const lastHyphen = cut.lastIndexOf('-');
  // A single word longer than max has no hyphen to cut at: cut it hard.
  const shortened = lastHyphen > 0 ? cut.slice(0, lastHyphen) : slug.slice(0, max);
  return shortened.replace(/-+$/, '');
}
