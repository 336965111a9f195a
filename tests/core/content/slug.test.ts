import { describe, expect, it } from 'vitest';
import { isValidSlug } from '../../../functions/core/content/slug-pattern.js';
import { normalizeTag, slugify, SLUG_MAX_LENGTH } from '../../../functions/core/content/slug.js';
import { PressrunError } from '../../../functions/core/errors.js';

const LONG_TITLE =
  'Russia and Ukraine Indicate Willingness for Direct Talks Amid Pressure from Trump, and Europe Watches Closely';

describe('slugify', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['  Leading and trailing spaces  ', 'leading-and-trailing-spaces'],
    ['Déjà Vu at the Café', 'deja-vu-at-the-cafe'],
    ['Straße', 'strasse'],
    ['Привет мир', 'privet-mir'],
    ['Ελληνικά νέα', 'ellinika-nea'],
    ["Conway's Law", 'conways-law'],
    ['It’s here', 'its-here'],
    ['Rock & Roll', 'rock-and-roll'],
    ['iPhone 16 review', 'iphone-16-review'],
    ['2025: the year in review', '2025-the-year-in-review'],
    ['multiple   ---   separators', 'multiple-separators'],
    ['tabs\tand\nnewlines', 'tabs-and-newlines'],
    ['control\u0001characters\uD800here', 'control-characters-here'],
  ])('turns %j into %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('cuts a long title at a hyphen, within the limit', () => {
    const slug = slugify(LONG_TITLE);
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    // The whole slug would run to "...-pressure-from-trump-and-europe-watches-closely"; "-trump" ends at 81.
    expect(slug).toBe('russia-and-ukraine-indicate-willingness-for-direct-talks-amid-pressure-from');
    expect(slugify(`${LONG_TITLE} ${LONG_TITLE}`)).toMatch(/^russia-and-ukraine-.*[a-z0-9]$/);
    expect(slugify(`${LONG_TITLE} ${LONG_TITLE}`).length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
  });

  it('cuts a single word longer than the limit hard', () => {
    expect(slugify('a'.repeat(120))).toBe('a'.repeat(SLUG_MAX_LENGTH));
  });

  it('produces valid slugs only', () => {
    for (const title of [LONG_TITLE, 'Hello, World!', '-x-', 'x'.repeat(79) + ' yy']) {
      expect(isValidSlug(slugify(title))).toBe(true);
    }
  });

  it.each([['!!!'], ['...'], [''], ['   '], ['中文标题'], ['😀'], ['\u0001\u0002'], ['— – -']])(
    'refuses %j, which has nothing to make a slug from, naming the slug field',
    (title) => {
      const error = catchError(() => slugify(title));
      expect(error).toBeInstanceOf(PressrunError);
      expect(error).toMatchObject({ kind: 'invalid', problems: [{ field: 'slug' }] });
    },
  );
});

describe('normalizeTag', () => {
  it.each([
    ['Open Source', 'open-source'],
    ['open-source', 'open-source'],
    ['OPEN SOURCE', 'open-source'],
    ['JavaScript', 'javascript'],
    [' Élections 2025 ', 'elections-2025'],
    ['c++', 'c'],
  ])('spells %j as %j', (tag, normalized) => {
    expect(normalizeTag(tag)).toBe(normalized);
  });

  it.each([['#'], ['  '], ['***']])('refuses %j, naming the tags field', (tag) => {
    expect(catchError(() => normalizeTag(tag))).toMatchObject({ kind: 'invalid', problems: [{ field: 'tags' }] });
  });
});

describe('isValidSlug', () => {
  it.each([
    ['hello-world', true],
    ['a', true],
    ['2025-04-22-talks', true],
    ['x'.repeat(100), true],
    ['x'.repeat(101), false],
    ['', false],
    ['Hello', false],
    ['hello world', false],
    ['hello--world', false],
    ['-hello', false],
    ['hello-', false],
    ['hello_world', false],
    ['héllo', false],
    ['hello/world', false],
    ['../etc', false],
  ])('says %j is %s', (slug, valid) => {
    expect(isValidSlug(slug)).toBe(valid);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
