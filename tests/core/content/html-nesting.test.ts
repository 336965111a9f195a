/**
 * limitHtmlNesting against htmlparser2 itself (the parser sanitize-html uses): on generated markup
 * full of what changes where elements open and close (implied end tags, void and raw-text
 * elements, comments, quoted and unquoted attributes holding "<" and ">", stray end tags), the
 * output never nests deeper than the limit as htmlparser2 reads it, and markup within the limit
 * comes back unchanged.
 */
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { limitHtmlNesting } from '../../../functions/core/content/html-nesting.js';

/** The most elements htmlparser2 has open at once (a void or raw-text element counts while it is open). */
function deepest(html: string): number {
  let depth = 0;
  let max = 0;
  const parser = new Parser(
    {
      onopentagname: () => (max = Math.max(max, ++depth)),
      onclosetag: () => void depth--,
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return max;
}

const names = ['div', 'b', 'p', 'li', 'ul', 'td', 'tr', 'table', 'tbody', 'thead', 'dd', 'dt', 'option', 'select', 'h1', 'span', 'svg', 'math'];
const piece = fc.oneof(
  fc.constantFrom(...names).map((n) => `<${n}>`),
  fc.constantFrom(...names).map((n) => `</${n}>`),
  fc.constantFrom(...names).map((n) => `<${n.toUpperCase()} a="x>y" b='<div>' c=d/e>`),
  fc.constantFrom('<br>', '<img src=x>', '<hr/>', '<input>', '</br>', '</p>', '<div/>', '<script/>', '<textarea/>'),
  fc.constantFrom('<script><div></div></script>', '<style>a</style >', '<title><b>x</title>', '<textarea></textarea\t>', '<xmp><p></xmp>'),
  fc.constantFrom('<script>never closed', '<!-- <div> -->', '<!--><div>', '<!---><b>', '<![CDATA[<div>]]>', '<!doctype html>', '<?x <div>?>'),
  fc.constantFrom('</ div>', '</>', '</3 <div>>', '< div>', '<a href="unterminated', "<b title='", '<i x=y"z>', '<u =x>', '<s / >'),
  fc.constantFrom('text', ' ', '&amp;', '&lt;div&gt;', '<', '>', '"', "'", '/'),
);
const markup = fc.array(piece, { maxLength: 120 }).map((pieces) => pieces.join(''));

describe('limitHtmlNesting', () => {
  it('never leaves markup nested deeper than the limit, as htmlparser2 reads it', () => {
    fc.assert(
      fc.property(markup, fc.integer({ min: 1, max: 8 }), (html, limit) => {
        // +1: a void or raw-text element is open for an instant even at the limit.
        expect(deepest(limitHtmlNesting(html, limit))).toBeLessThanOrEqual(limit + 1);
      }),
      { numRuns: 3_000, seed: 20250601 },
    );
  });

  it('leaves markup within the limit unchanged', () => {
    fc.assert(
      fc.property(markup, (html) => {
        fc.pre(deepest(html) <= 10);
        expect(limitHtmlNesting(html, 10)).toBe(html);
      }),
      { numRuns: 3_000, seed: 20250601 },
    );
  });

  it.each([
    ['nested elements', '<div>'.repeat(5), '<div><div><div>'],
    ['their end tags too', `${'<b>'.repeat(5)}x${'</b>'.repeat(5)}`, '<b><b><b>x</b></b></b>'],
    ['paragraphs, which close each other', '<p>a<p>b<p>c<p>d<p>e', '<p>a<p>b<p>c<p>d<p>e'],
    ['list items, which close each other', '<ul><li>a<li>b<li>c<li>d</ul>', '<ul><li>a<li>b<li>c<li>d</ul>'],
    ['a script past the limit, kept with its text', '<div><div><div><script><div></script>', '<div><div><div><script><div></script>'],
  ])('at 3 levels: %s', (_name, html, expected) => {
    expect(limitHtmlNesting(html, 3)).toBe(expected);
  });

  it('brings 1 MB of nested <b> down to the limit', () => {
    expect(deepest(limitHtmlNesting('<b>'.repeat(333_000), 100))).toBe(100);
  });
});
