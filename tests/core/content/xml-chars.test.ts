import { describe, expect, it } from 'vitest';
import { stripXmlForbidden } from '../../../functions/core/content/xml-chars.js';
import { hasXmlForbidden, xmlForbiddenIndexes } from './content-factories.js';

describe('stripXmlForbidden', () => {
  it.each([
    ['plain text', 'Harbour reopens', 'Harbour reopens'],
    ['an empty string', '', ''],
    ['tab, line feed and carriage return', 'a\tb\nc\rd', 'a\tb\nc\rd'],
    ['NUL', 'a\u0000b', 'ab'],
    ['C0 controls U+0001 to U+0008', 'a\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008b', 'ab'],
    ['vertical tab and form feed', 'a\u000B\u000Cb', 'ab'],
    ['C0 controls U+000E to U+001F', 'a\u000E\u0010\u001B\u001Fb', 'ab'],
    ['U+FFFE and U+FFFF', 'a\uFFFEb\uFFFFc', 'abc'],
    ['a lone high surrogate', 'a\uD83Db', 'ab'],
    ['a lone low surrogate', 'a\uDE00b', 'ab'],
    ['a high surrogate at the end', 'ab\uD83D', 'ab'],
    ['a low surrogate at the start', '\uDE00ab', 'ab'],
    ['reversed surrogates (low before high)', 'a\uDE00\uD83Db', 'ab'],
    ['two high surrogates before a low one', 'a\uD83D\uD83D\uDE00b', 'a\uD83D\uDE00b'],
    ['an emoji (a valid pair)', 'ok 😀 👍🏽', 'ok 😀 👍🏽'],
    ['the last plane-16 code point', '\u{10FFFF}', '\u{10FFFF}'],
    ['DEL and C1 controls, which XML 1.0 allows', 'a\u007F\u0085\u009Fb', 'a\u007F\u0085\u009Fb'],
    ['U+FFFD, the replacement character', 'a\uFFFDb', 'a\uFFFDb'],
    ['the edges of the allowed BMP ranges', '\u0020\uD7FF\uE000\uFFFD', '\u0020\uD7FF\uE000\uFFFD'],
    ['curly quotes and accents', '“Déjà vu” – it’s', '“Déjà vu” – it’s'],
  ])('handles %s', (_case, input, expected) => {
    expect(stripXmlForbidden(input)).toBe(expected);
  });

  it('leaves no forbidden code point in 1,000 random strings, and keeps every allowed one', () => {
    const random = mulberry32(20250422);
    for (let n = 0; n < 1000; n++) {
      const input = randomString(random, Math.floor(random() * 40));
      const output = stripXmlForbidden(input);
      expect(hasXmlForbidden(output), JSON.stringify(input)).toBe(false);
      expect(output).toBe(removeIndexes(input, xmlForbiddenIndexes(input)));
    }
  });
});

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Code units weighted towards the edges of the rule: controls, surrogates, U+FFFE/U+FFFF, pairs. */
const RANGES: Array<[number, number]> = [
  [0x00, 0x1f],
  [0x20, 0x7e],
  [0xd7f0, 0xd7ff],
  [0xd800, 0xdbff],
  [0xdc00, 0xdfff],
  [0xe000, 0xe00f],
  [0xfff0, 0xffff],
];

function randomString(random: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    if (random() < 0.15) {
      s += String.fromCodePoint(0x10000 + Math.floor(random() * 0xfffff));
      continue;
    }
    const [low, high] = RANGES[Math.floor(random() * RANGES.length)]!;
    s += String.fromCharCode(low + Math.floor(random() * (high - low + 1)));
  }
  return s;
}

function removeIndexes(s: string, indexes: number[]): string {
  const drop = new Set(indexes);
  return Array.from(s.split(''), (unit, i) => (drop.has(i) ? '' : unit)).join('');
}
