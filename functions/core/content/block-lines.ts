/**
 * What markdown.ts reads of a block's lines without marked: the plain lines on which nothing but
 * text may start, and how many levels the markers at the start of a line open.
 */
import { Lexer, type Tokens } from 'marked';

/**
 * A plain line: one that cannot end a paragraph (a blank line, a list item, a quote, a heading, a
 * fence, a thematic break, an HTML block, a table's row, indented code), underline it, or keep a
 * heading from starting on it, told by its first character: fewer lines than those, never more.
 */
export const PLAIN_LINE = /^[^\s\-*+_=#>`~<|:0-9]/;

/**
 * `line` (the text token of the first line of `src`) and the plain lines after it, as one token:
 * marked would read each as text and add it to this token, each time reading the token's text
 * to its end (quadratic in the lines). A line is taken when nothing but text could start on it:
 * it is plain (no setext heading starts on it either: the caller knows one failed on the plain
 * line `line` or above), does not start a link definition, and is not a table's header, the line
 * after it being plain too.
 */
export function withPlainLinesAfter(line: Tokens.Text, src: string): Tokens.Text {
  let end = line.raw.length;
  for (;;) {
    const start = end + 1;
    if (src.charCodeAt(end) !== 10 || start >= src.length || !PLAIN_LINE.test(src[start]!)) break;
    if (src[start] === '[' && ((LINK_DEFINITION.lastIndex = start), LINK_DEFINITION.test(src))) break;
    const next = src.indexOf('\n', start);
    if (next === -1 || next + 1 === src.length) {
      end = next === -1 ? src.length : next;
      break;
    }
    if (!PLAIN_LINE.test(src[next + 1]!)) break;
    end = next;
  }
  if (end === line.raw.length) return line;
  const raw = src.slice(0, end);
  return { ...line, raw, text: raw };
}

/** marked's link definition, sticky (a superset: marked refuses some of these). */
const LINK_DEFINITION = new RegExp(Lexer.rules.block.gfm.def.source.replace(/^\^/, ''), 'y');

/** marked's nestedBlockMarker, sticky: a list item's or a blockquote's marker, where a line's content may open another. */
const NESTED_MARKER = / {0,3}(?:(?:[*+-]|\d{1,9}[.)])(?: |$)|> ?)/y;
const THEMATIC = new Set(['-', '*', '_']);

/**
 * How many levels the markers at the start of `line` open, one inside the other, as marked reads
 * them: each marker of a list item or blockquote, up to the first that is not one, or up to what
 * is left of the line being a thematic break (`* * *`, which ends the nesting there).
 */
export function levelsOpenedBy(line: string): number {
  // Where the longest end of the line made of one of - * _ (three or more) and spaces or tabs begins.
  let breakFrom = line.length;
  let [mark, marks] = ['', 0];
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line[i]!;
    if (c !== ' ' && c !== '\t') {
      if (!THEMATIC.has(c) || (mark !== '' && c !== mark)) break;
      [mark, marks] = [c, marks + 1];
    }
    // The spaces before a break belong to it: a marker's content may start after them.
    if (marks >= 3) breakFrom = i;
  }
  let levels = 0;
  for (NESTED_MARKER.lastIndex = 0; NESTED_MARKER.lastIndex < breakFrom && NESTED_MARKER.test(line); ) levels++;
  return levels;
}

