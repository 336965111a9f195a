import fc from 'fast-check';
import { Lexer, Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { BacktickRuns, CodeSpanMask } from '../../../functions/core/content/backtick-runs.js';
import { markdownToHtml } from '../../../functions/core/content/markdown.js';

const marked = Lexer.rules.inline.gfm.anyPunctuationOutsideCode;
/** Text made of what code spans, escapes and emphasis are made of. */
const markdownish = fc
  .array(fc.constantFrom('`', '``', '```', '\\', 'a', ' ', '*', '_', '~', '[', ']', '(', ')', '!', '\n', '«', '€', '😀'), { maxLength: 40 })
  .map((pieces) => pieces.join(''));
/** Every match of a global rule, by exec() as replace() calls it (matchAll() would copy the rule as a plain RegExp). */
function everyMatch(rule: RegExp, text: string) {
  const matches: unknown[][] = [];
  rule.lastIndex = 0;
  for (let m = rule.exec(text); m; m = rule.exec(text)) matches.push([m.index, ...m]);
  return matches;
}

describe('CodeSpanMask', () => {
  it('matches what marked’s own rule matches, capture for capture', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        expect(everyMatch(new CodeSpanMask(marked.source, marked.flags), text)).toEqual(everyMatch(marked, text));
      }),
      { numRuns: Number(process.env.PRESSRUN_PROPERTY_RUNS ?? 3_000), seed: 20261207 },
    );
  });

  it('masks as marked masks, through replace()', () => {
    const mask = (n: string, r?: string, s?: string) => (s ? '+'.repeat(n.length) : r ? r + n.slice(r.length, -r.length).replace(/`/g, '+') + r : n);
    fc.assert(
      fc.property(markdownish, (text) => {
        expect(text.replace(new CodeSpanMask(marked.source, marked.flags), mask)).toBe(text.replace(marked, mask));
      }),
      { numRuns: Number(process.env.PRESSRUN_PROPERTY_RUNS ?? 1_000), seed: 20261207 },
    );
  });

  it('matches as marked’s rule does when one mask serves text after text, and the same text again, as the lexer uses it', () => {
    const mask = (n: string, r?: string, s?: string) => (s ? '+'.repeat(n.length) : r ? r + n.slice(r.length, -r.length).replace(/`/g, '+') + r : n);
    fc.assert(
      fc.property(fc.array(markdownish, { minLength: 1, maxLength: 6 }), (texts) => {
        const shared = new CodeSpanMask(marked.source, marked.flags);
        for (const text of [...texts, ...texts.slice(0, 2)]) {
          expect(text.replace(shared, mask)).toBe(text.replace(marked, mask));
          expect(everyMatch(shared, text)).toEqual(everyMatch(marked, text));
        }
      }),
      { numRuns: Number(process.env.PRESSRUN_PROPERTY_RUNS ?? 1_000), seed: 20261207 },
    );
  });
});

describe('BacktickRuns', () => {
  it('finds the next run of exactly a length, and no shorter or longer one', () => {
    const runs = new BacktickRuns('a ` b `` c ``` d `` e `');
    expect(runs.lengthAt(6)).toBe(2);
    expect(runs.nextOf(2, 6)).toBe(17);
    expect(runs.nextOf(1, 2)).toBe(22);
    expect(runs.nextOf(3, 11)).toBe(-1);
    expect(runs.nextOf(4, 0)).toBe(-1);
  });
});

describe('markdownToHtml', () => {
  it('renders what marked renders, for text short enough to have cost marked nothing', () => {
    const plain = new Marked({ gfm: true, breaks: false });
    fc.assert(
      fc.property(markdownish, (text) => {
        expect(markdownToHtml(text)).toBe(plain.parse(text, { async: false }));
      }),
      { numRuns: Number(process.env.PRESSRUN_PROPERTY_RUNS ?? 3_000), seed: 20261207 },
    );
  });
});
