/**
 * A list whose first line opens more levels than are left is refused before marked reads it
 * (markdown.ts): held here to what marked itself builds, so the early refusal refuses exactly
 * what the nesting limit would have refused after, and nothing it accepts.
 */
import fc from 'fast-check';
import { Lexer, Marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_NESTING, markdownToHtml } from '../../../functions/core/content/markdown.js';
import { PressrunError } from '../../../functions/core/errors.js';

/** The deepest a block sits in marked's own tokens: a level for each list item and blockquote around it. */
function blockDepth(tokens: Token[], depth = 0): number {
  let deepest = depth;
  for (const token of tokens) {
    if (token.type === 'list')
      deepest = Math.max(deepest, ...(token as Tokens.List).items.map((item) => blockDepth(item.tokens, depth + 1)));
    else if (token.type === 'blockquote') deepest = Math.max(deepest, blockDepth((token as Tokens.Blockquote).tokens, depth + 1));
  }
  return deepest;
}

/** Near the limit: 28 to 38 markers that nest, then what may end the nesting (a thematic break, indented code, text). */
const nesting = fc.constantFrom('- ', '* ', '+ ', '1. ', '2) ', '> ', '>', '-   ', '* ', '- ', '  - ', '   * ', ' > ', '-  ');
const ending = fc.constantFrom(
  '',
  'text',
  '* * *',
  '- - -',
  '***',
  '---',
  '_ _ _',
  '*',
  '* *',
  '-    code',
  '# heading',
  '\tx',
  '  * ***',
  '   ---',
  '    ---',
  ' - -',
  '\t***',
);
const firstLine = fc
  .tuple(fc.array(nesting, { minLength: 28, maxLength: 38 }), ending, fc.array(nesting, { maxLength: 3 }), ending)
  .map(([opening, end, more, last]) => opening.join('') + end + more.join('') + last);
const after = fc.array(fc.constantFrom('', 'more', '  more', '---', '- item', '    code', '> quote'), { maxLength: 4 });
const plain = new Marked({ gfm: true, breaks: false });

describe('lists opened on one line', () => {
  it('are refused exactly when marked would nest them past the limit, and otherwise render as marked renders them', () => {
    fc.assert(
      fc.property(firstLine, after, (line, rest) => {
        const text = [line, ...rest].join('\n');
        const tooDeep = blockDepth(new Lexer({ gfm: true }).lex(text)) > MAX_MARKDOWN_NESTING;
        let html: string | undefined;
        try {
          html = markdownToHtml(text);
        } catch (error) {
          if (!(error instanceof PressrunError)) throw error;
          expect(error.message).toContain('nests blockquotes and lists');
        }
        expect(html === undefined).toBe(tooDeep);
        if (html !== undefined) expect(html).toBe(plain.parse(text, { async: false }));
      }),
      { numRuns: Number(process.env.PRESSRUN_PROPERTY_RUNS ?? 3_000), seed: 20261207 },
    );
  });
});
