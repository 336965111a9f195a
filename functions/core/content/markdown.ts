/**
 * Markdown to HTML with marked (GitHub flavoured), in time linear in the text: an article body is
 * untrusted input of up to 256,000 characters, parsed inside a request. marked's own lexer, with
 * these changes, each found by timing inputs of growing size (tests/core/content/pathological-input.test.ts):
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
 */
import { Lexer, Marked, Tokenizer, type MarkedOptions, type Token, type Tokens, type TokensList } from 'marked';
import { invalid } from '../errors.js';
import { BacktickRuns, CodeSpanMask } from './backtick-runs.js';

/** How deep blockquotes and lists may be nested (and, separately, emphasis, strikethrough and links). */
export const MAX_MARKDOWN_NESTING = 32;

/** RFC 5321, 4.5.3.1.1: the local part of a mailbox is at most 64 octets. */
const LOCAL_PART_MAX = 64;

/** `rule` with each of its `count` runs of `<localPart>+` bounded to LOCAL_PART_MAX characters. */
function boundLocalParts(rule: RegExp, localPart: string, count: number): RegExp {
  const pieces = rule.source.split(`${localPart}+`);
  if (pieces.length - 1 !== count) {
    throw new Error(`marked's GFM rule /${rule.source}/ no longer has ${count} runs of ${localPart}+: review functions/core/content/markdown.ts`);
  }
  return new RegExp(pieces.join(`${localPart}{1,${LOCAL_PART_MAX}}`), rule.flags);
}

const gfm = Lexer.rules.inline.gfm;
const boundedRules = {
  /** A bare address, and the mailto: and xmpp: forms. */
  url: boundLocalParts(gfm.url, '[A-Za-z0-9._+-]', 3),
  /** Plain text, which ends before anything that may start an address. */
  text: boundLocalParts(gfm.text, "[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]", 2),
};

/** Characters the closer searches of one parse may scan, for each character of its text (and a floor). */
const CLOSER_SCANS_PER_CHAR = 4;
const CLOSER_SCANS_FLOOR = 10_000;

/** What is left of a parse's closer searches. */
interface ScanBudget {
  left: number;
}

/** A search for closing delimiters that finds nothing once its parse's budget is spent. */
class BudgetedSearch extends RegExp {
  // replace(), split() and matchAll() build plain copies, not budgeted ones.
  static override get [Symbol.species]() {
    return RegExp;
  }

  readonly #budget: ScanBudget;

  constructor(rule: RegExp, budget: ScanBudget) {
    super(rule.source, rule.flags);
    this.#budget = budget;
  }

  override exec(text: string): RegExpExecArray | null {
    if (this.#budget.left <= 0) return null;
    const from = this.lastIndex;
    const found = super.exec(text);
    this.#budget.left -= Math.max(1, (found ? this.lastIndex : text.length) - from);
    return found;
  }
}

/** The longest run of `*` or `_` that may open or close emphasis; a longer one is text. */
export const MAX_DELIMITER_RUN = 64;

/** The most of a text a bare URL (or e-mail address) is read from: browsers and servers refuse longer URLs. */
export const MAX_BARE_URL = 2_048;

/** marked's tokenizer, reading a run of `*` or `_` longer than MAX_DELIMITER_RUN as text, whole, and bare URLs from at most MAX_BARE_URL characters. */
class LinearTokenizer extends Tokenizer {
  override emStrong(src: string, maskedSrc: string, prevChar?: string): Tokens.Em | Tokens.Strong | undefined {
    const delimiter = src[0];
    if (delimiter === '*' || delimiter === '_') {
      let end = 1;
      while (end < src.length && src[end] === delimiter) end++;
      if (end > MAX_DELIMITER_RUN) {
        const run = src.slice(0, end);
        // The lexer takes any token the tokenizer gives it; a text token is what it makes of an unmatched run itself.
        return { type: 'text', raw: run, text: run, escaped: false } as unknown as Tokens.Em;
      }
    }
    return super.emStrong(src, maskedSrc, prevChar);
  }

  override list(src: string): Tokens.List | undefined {
    (this.lexer as LinearLexer).refuseListTooDeep(src);
    return super.list(src);
  }

  override lheading(src: string): Tokens.Heading | undefined {
    const lexer = this.lexer as LinearLexer;
    if (lexer.headingFailedAbove(src)) return undefined;
    const heading = super.lheading(src);
    lexer.headingTried(src, heading !== undefined);
    return heading;
  }

  override space(src: string): Tokens.Space | undefined {
    const space = super.space(src);
    if (space) (this.lexer as LinearLexer).readPlain(src, space.raw === '\n' ? space.raw : undefined);
    return space;
  }

  override text(src: string): Tokens.Text | undefined {
    const lexer = this.lexer as LinearLexer;
    const line = super.text(src);
    if (!line) return line;
    const plain = PLAIN_LINE.test(line.raw);
    const text = plain && lexer.headingFailedAbove(src) && !lexer.state.top ? withPlainLinesAfter(line, src) : line;
    // marked queued the first line for its inline pass; the token's text is what it reads now.
    if (text !== line) lexer.inlineQueue.at(-1)!.src = text.text;
    lexer.readPlain(src, plain ? text.raw : undefined);
    return text;
  }

  override url(src: string): Tokens.Link | undefined {
    return super.url(src.length > MAX_BARE_URL ? src.slice(0, MAX_BARE_URL) : src);
  }

  override codespan(src: string): Tokens.Codespan | undefined {
    if (src.charCodeAt(0) === 96 && !(this.lexer as LinearLexer).mayCloseCode(src)) return undefined;
    return super.codespan(src);
  }
}

/**
 * A plain line: one that cannot end a paragraph (a blank line, a list item, a quote, a heading, a
 * fence, a thematic break, an HTML block, a table's row, indented code), underline it, or keep a
 * heading from starting on it, told by its first character: fewer lines than those, never more.
 */
const PLAIN_LINE = /^[^\s\-*+_=#>`~<|:0-9]/;

/**
 * `line` (the text token of the first line of `src`) and the plain lines after it, as one token:
 * marked would read each as text and add it to this token, each time reading the token's text
 * to its end (quadratic in the lines). A line is taken when nothing but text could start on it:
 * it is plain (no setext heading starts on it either: the caller knows one failed on the plain
 * line `line` or above), does
 * not start a link definition, and is not a table's header, the line after it being plain too.
 */
function withPlainLinesAfter(line: Tokens.Text, src: string): Tokens.Text {
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
function levelsOpenedBy(line: string): number {
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

type Nesting = 'block' | 'inline';

/** Thrown inside marked, which appends its own words to the message; markdownToHtml turns it into the 422. */
class TooDeep extends Error {
  constructor(readonly nesting: Nesting) {
    super(`Markdown nested more than ${MAX_MARKDOWN_NESTING} levels deep`);
  }
}

/**
 * marked's lexer, reading addresses with the bounded rules and counting how deep it is. Each
 * container (blockquote, list item) has its content read by a nested blockTokens, each inline
 * span (emphasis, strong, strikethrough, link text) by a nested inlineTokens; the outermost call
 * is level 0.
 */
class LinearLexer extends Lexer {
  readonly #depth: Record<Nesting, number> = { block: -1, inline: -1 };
  readonly #closerScans: ScanBudget = { left: 0 };
  /**
   * The text of each blockTokens under way, innermost last, and where a setext heading is known
   * not to start: the line after one where it was tried and failed, read since only as plain lines.
   */
  readonly #block: Array<{ text: string; noHeadingAt?: number }> = [];
  /** The text of each inlineTokens under way, innermost last, with its backtick runs once asked for. */
  readonly #inline: Array<{ text: string; runs?: BacktickRuns }> = [];

  constructor(options?: MarkedOptions) {
    const tokenizer = new LinearTokenizer(options);
    super({ ...options, tokenizer });
    // The lexer has just given its tokenizer the rules for the options (GFM's); only these change.
    const inline = tokenizer.rules.inline;
    const budgeted = (rule: RegExp) => new BudgetedSearch(rule, this.#closerScans);
    tokenizer.rules = {
      ...tokenizer.rules,
      inline: {
        ...inline,
        ...boundedRules,
        emStrongRDelimAst: budgeted(inline.emStrongRDelimAst),
        emStrongRDelimUnd: budgeted(inline.emStrongRDelimUnd),
        delRDelim: budgeted(inline.delRDelim),
        anyPunctuationOutsideCode: new CodeSpanMask(inline.anyPunctuationOutsideCode.source, inline.anyPunctuationOutsideCode.flags),
      },
    };
  }

  override lex(src: string): TokensList {
    this.#closerScans.left = CLOSER_SCANS_FLOOR + CLOSER_SCANS_PER_CHAR * src.length;
    return super.lex(src);
  }

  override blockTokens(src: string, tokens?: Token[], lastParagraphClipped?: boolean): Token[];
  override blockTokens(src: string, tokens?: TokensList, lastParagraphClipped?: boolean): TokensList;
  override blockTokens(src: string, tokens?: Token[] | TokensList, lastParagraphClipped?: boolean): Token[] | TokensList {
    this.#block.push({ text: src });
    try {
      return this.#nested('block', () => super.blockTokens(src, tokens as Token[], lastParagraphClipped));
    } finally {
      this.#block.pop();
    }
  }

  /** Whether a setext heading is known not to start where `src` (what is left of the block text) starts. */
  headingFailedAbove(src: string): boolean {
    const block = this.#block.at(-1);
    return block?.noHeadingAt !== undefined && block.text.length - src.length === block.noHeadingAt;
  }

  /**
   * A setext heading was tried where `src` starts: if it failed on a plain line (which no rule
   * kept it from starting on), no underline follows before the paragraph's end, so it fails on
   * the plain lines that follow too.
   */
  headingTried(src: string, found: boolean): void {
    const block = this.#block.at(-1);
    if (block) block.noHeadingAt = found || !PLAIN_LINE.test(src) ? undefined : block.text.length - src.length;
  }

  /** `src` starts with `plain` (a plain line or a single line break), or with something else (undefined). */
  readPlain(src: string, plain: string | undefined): void {
    const block = this.#block.at(-1);
    if (block?.noHeadingAt === undefined || block.text.length - src.length !== block.noHeadingAt) return;
    block.noHeadingAt = plain === undefined ? undefined : block.noHeadingAt + plain.length;
  }

  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    this.#inline.push({ text: src });
    try {
      return this.#nested('inline', () => super.inlineTokens(src, tokens));
    } finally {
      this.#inline.pop();
    }
  }

  /** Refuses a list whose first line alone nests deeper than the levels left (levelsOpenedBy). */
  refuseListTooDeep(src: string): void {
    const end = src.indexOf('\n');
    if (this.#depth.block + levelsOpenedBy(end === -1 ? src : src.slice(0, end)) > MAX_MARKDOWN_NESTING) throw new TooDeep('block');
  }

  /** Whether the backtick run `src` starts with (`src` being what is left of the inline text) has a run of its length after it. */
  mayCloseCode(src: string): boolean {
    const inline = this.#inline.at(-1);
    const at = inline ? inline.text.length - src.length : -1;
    // Not the end of the text being read: let marked search.
    if (!inline || at < 0 || inline.text.charCodeAt(at) !== 96) return true;
    inline.runs ??= new BacktickRuns(inline.text);
    return inline.runs.nextOf(inline.runs.lengthAt(at), at) !== -1;
  }

  #nested<T>(nesting: Nesting, read: () => T): T {
    if (this.#depth[nesting] >= MAX_MARKDOWN_NESTING) throw new TooDeep(nesting);
    this.#depth[nesting]++;
    try {
      return read();
    } finally {
      this.#depth[nesting]--;
    }
  }
}

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
