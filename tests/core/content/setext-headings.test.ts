/**
 * In a list item marked reads a paragraph a line at a time; markdown.ts stops trying a setext
 * heading on the plain lines after one where it failed, and reads a run of plain lines at once.
 * Held here to marked's own output on lists made of what starts, ends and underlines paragraphs,
 * tables and link definitions.
 */
import fc from 'fast-check';
import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../../functions/core/content/markdown.js';

const line = fc.constantFrom(
  ...['plain', '[a', '&x', 'b*', '===', '---', '- item', '* item', '1. one', '2. two', '', '    code', '  two spaces', '\tx', '> quote'],
  ...['# h', '```', '<div>', '| a |', '|---|', 'c', '= a', '-- x', 'word  ', 'see [a]', '[a]: http://x.test', "[b]: /y 'open", "    shut'"],
  ...['a | b', '--- | ---', ':-- | --:'],
);
const list = fc
  .array(fc.tuple(fc.constantFrom('- ', '* ', '1. ', '- ', ''), fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('  ', '   ', '')), { minLength: 1, maxLength: 6 })
  .map((items) => items.map(([marker, lines, indent]) => `${marker}${lines[0]}\n${lines.slice(1).map((l) => `${indent}${l}`).join('\n')}`).join('\n'));
const plain = new Marked({ gfm: true, breaks: false });

describe('setext headings in list items', () => {
  it('are found where marked finds them', () => {
    fc.assert(
      fc.property(list, (text) => {
        expect(markdownToHtml(text)).toBe(plain.parse(text, { async: false }));
      }),
      { numRuns: Number(process.env.PRESSRUN_PROPERTY_RUNS ?? 3_000), seed: 20261207 },
    );
  });
});
