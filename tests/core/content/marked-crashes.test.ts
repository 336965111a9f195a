/**
 * Markdown on which marked itself throws (a TypeError in its blockquote reader): a list item
 * holding a quote that ends with a list, then lazy lines. Found by comparing markdownToHtml
 * with plain marked on random documents; the API answered such an article with a 500.
 */
import fc from 'fast-check';
import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../../functions/core/content/markdown.js';

const plain = new Marked({ gfm: true, breaks: false });

/** marked's own HTML, or undefined where it throws. */
function markedHtml(text: string): string | undefined {
  try {
    return plain.parse(text, { async: false });
  } catch {
    return undefined;
  }
}

describe('Markdown on which marked throws', () => {
  it.each([
    [
      'a quote in a list item opening with a list numbered from 2, then a lazy line',
      '* item\n  > 2) two\nplain text',
      '<ul>\n<li>item<blockquote>\n<ol start="2">\n<li>two\nplain text</li>\n</ol>\n</blockquote>\n</li>\n</ul>\n',
    ],
    [
      'the same, then a line that opens a list in that list',
      '+ item\n  > 2) two\n      - item',
      '<ul>\n<li>item<blockquote>\n<ol start="2">\n<li>two<ul>\n<li>item</li>\n</ul>\n</li>\n</ol>\n</blockquote>\n</li>\n</ul>\n',
    ],
  ])('renders %s, the quote holding the list and its lazy lines', (_name, text, html) => {
    expect(markedHtml(text)).toBeUndefined();
    expect(markdownToHtml(text)).toBe(html);
  });

  it('renders list items holding quotes as marked renders them, and those marked throws on too', () => {
    const word = fc.constantFrom('text', '- item', '* item', '2) two', '1. one', '> q', '', '# h', '```', '---', '| a |', '[a]: /x');
    const indent = fc.constantFrom('', '', '  ', '    ', '  > ', '> ', '  > > ', '   ');
    const document = fc
      .tuple(fc.constantFrom('- ', '* ', '1. '), word, fc.array(fc.tuple(indent, word), { minLength: 1, maxLength: 6 }))
      .map(([marker, first, rest]) => [`${marker}${first}`, `  > ${rest[0]![1]}`, ...rest.slice(1).map(([i, w]) => i + w)].join('\n'));
    let thrown = 0;
    fc.assert(
      fc.property(document, (text) => {
        const expected = markedHtml(text);
        if (expected === undefined) thrown++;
        const html = markdownToHtml(text);
        if (expected !== undefined) expect(html).toBe(expected);
      }),
      { numRuns: Number(process.env.PRESSRUN_PROPERTY_RUNS ?? 3_000), seed: 20261207 },
    );
    // The documents reach the shape marked throws on, or this test would hold nothing.
    expect(thrown).toBeGreaterThan(0);
  });
});
