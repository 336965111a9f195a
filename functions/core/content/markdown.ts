/**
 * Markdown to HTML with marked (GitHub flavoured), in time linear in the text: an article body is
 * untrusted input of up to 256,000 characters, parsed inside a request. marked's own lexer, with
 * these changes, each found by timing inputs of growing size (tests/core/content/pathological-input.test.ts).
 * The lexer is linear-lexer.ts; it bounds the inline rules with inline-bounds.ts and reads lines
 * with block-lines.ts and backtick runs with backtick-runs.ts.
 *
 * - E-mail autolinks. GFM links bare addresses, so marked looks for one wherever text could start
 *   one, scanning an unbounded run of local-part characters for an "@". In a run of `_a`, `a*` or
 *   `**a`, every character of which starts a new token, each scan went on to the end of the run:
 *   quadratic time (80 KB of `_a` took seconds, 660 KB minutes). Here the local part is at most 64
 *   characters, as RFC 5321 has it, so each scan stops after 64; no address is lost.
 * - Nesting. marked reads a blockquote, a list item, an emphasis or a link by reading its content
 *   again one level in: the time grows with the depth, and 1,000 levels overflowed the stack. The
 *   body may nest blockquotes and lists at most MAX_MARKDOWN_NESTING deep, and emphasis, strong,
 *   strikethrough and links as deep again; deeper, it is refused as soon as the lexer gets there.
 * - Closers. For each opening `*`, `_` or `~`, marked searches the text after it for the run that
 *   closes it, and gives up only at the last run that might (any not preceded by a space). After
 *   punctuation, as in `(*a`, every run might, so in a run of `(*a` each search went on to the end:
 *   quadratic again (30 KB took 9 s; one closer at the end, or closers that fit none, did the
 *   same). Here the searches of one parse scan at most CLOSER_SCANS_PER_CHAR characters for each
 *   character of the text; once that is spent, an opener still unmatched stays literal text.
 *   Prose spends a small part of it: a search ends at its closer, a few words on.
 * - Long runs. Each `*` or `_` of a run may open, so marked tried the run from each of them, reading
 *   it to its end and back to its start every time: quadratic in the run's length once anything
 *   after it may close (35,000 `*` took 8 s). A run longer than MAX_DELIMITER_RUN is text: emphasis
 *   could use all of it only nested past the limit above, and prose has no such runs.
 * - Code spans: a run of backticks with no run of its length after it is text, known at once
 *   (backtick-runs.ts).
 * - Bare URLs. GFM links `www.…` and `https://…` up to the next space, then gives back trailing
 *   punctuation one step at a time: a URL took the rest of a text without spaces, and each of
 *   many did (`www.` runs then `))!` runs: 8 s at 120 KB). A bare URL is read from at most
 *   MAX_BARE_URL characters; a longer one is linked as far as that, the rest is text.
 * - Lists opened on one line (`- - - … x`). marked reads such a first line again, a marker at a
 *   time, for the line after it, at every level, before the nesting limit refuses it (`* ` 7,000
 *   times on a line took 6 s). A list whose first line alone opens more levels than are left is
 *   refused before marked reads it, as marked would refuse it after.
 * - Setext headings in list items. There marked reads a paragraph a line at a time, and tried
 *   each line as the start of a heading underlined further down, reading to the paragraph's end
 *   (28,000 lines took 9 s). Once that fails on a line, it fails on the plain lines after it
 *   (the same lines are searched for the same underline), so it is not tried again until a line
 *   that may end the paragraph, or anything else, comes between. marked then added each line to
 *   the text before it, reading that text to its end every time (56,000 lines took 9 s); here a
 *   run of plain lines on which nothing but text may start is read at once.
 *
 * And one change that is not about time: a quote in a list item that ends with a list, followed
 * by lazy lines (`* item` / `  > 2) two` / `text`), made marked throw a TypeError (a 500 from the
 * API). marked's blockquote reads that list again with the lines after it, but in
 * the wrong context, where a list numbered from 2 may not start; it is read as it was inside the quote.
 */
import { Marked, type MarkedOptions, type TokensList } from 'marked';
import { invalid } from '../errors.js';
import { LinearLexer, MAX_MARKDOWN_NESTING, TooDeep, type Nesting } from './linear-lexer.js';

export { MAX_MARKDOWN_NESTING };
export { MAX_BARE_URL, MAX_DELIMITER_RUN } from './inline-bounds.js';

const lexLinear = <P, R>(src: string, options?: MarkedOptions<P, R>): TokensList => new LinearLexer(options as unknown as MarkedOptions).lex(src);
const markdown = new Marked({ gfm: true, breaks: false, hooks: { provideLexer: () => lexLinear } });

const NESTED: Record<Nesting, string> = { block: 'blockquotes and lists', inline: 'emphasis, strikethrough and links' };

/**
 * The HTML for a Markdown body (not yet sanitized). A body nested deeper than
 * MAX_MARKDOWN_NESTING is refused as invalid, naming `body` and the limit; `source` (a file
 * name) prefixes the message.
 */
export function markdownToHtml(body: string, source?: string): string {
  try {
    return markdown.parse(body, { async: false });
  } catch (err) {
    if (!(err instanceof TooDeep)) throw err;
    const message = `nests ${NESTED[err.nesting]} more than ${MAX_MARKDOWN_NESTING} levels deep`;
    throw invalid(`${source ? `${source}: ` : ''}invalid article: body: ${message}`, [{ field: 'body', message }]);
  }
}
