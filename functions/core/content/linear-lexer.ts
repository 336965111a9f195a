/**
 * marked's lexer and tokenizer with the changes markdown.ts lists: each parse in time linear in
 * its text, and nesting refused past MAX_MARKDOWN_NESTING.
 */
import { Lexer, Tokenizer, type MarkedOptions, type Token, type Tokens, type TokensList } from 'marked';
import { BacktickRuns, CodeSpanMask } from './backtick-runs.js';
import { levelsOpenedBy, PLAIN_LINE, withPlainLinesAfter } from './block-lines.js';
import {
  boundedRules,
  BudgetedSearch,
  CLOSER_SCANS_FLOOR,
  CLOSER_SCANS_PER_CHAR,
  MAX_BARE_URL,
  MAX_DELIMITER_RUN,
  type ScanBudget,
} from './inline-bounds.js';

/** How deep blockquotes and lists may be nested (and, separately, emphasis, strikethrough and links). */
export const MAX_MARKDOWN_NESTING = 32;

/**
 * marked's tokenizer with the changes markdown.ts lists: runs of `*` or `_` longer than
 * MAX_DELIMITER_RUN are text, bare URLs are read from at most MAX_BARE_URL characters, lists
 * too deep are refused early, setext headings and plain lines are read with the lexer's memo,
 * code spans with its backtick runs, and a quote's list is read again as marked meant to.
 */
class LinearTokenizer extends Tokenizer {
  /** For each blockquote being read, innermost last: how many blocks were being read around it. */
  readonly #quotes: number[] = [];

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

  override blockquote(src: string): Tokens.Blockquote | undefined {
    this.#quotes.push((this.lexer as LinearLexer).blocksOpen());
    try {
      return super.blockquote(src);
    } finally {
      this.#quotes.pop();
    }
  }

  override list(src: string): Tokens.List | undefined {
    const lexer = this.lexer as LinearLexer;
    lexer.refuseListTooDeep(src);
    const list = super.list(src);
    if (list !== undefined || this.#quotes.at(-1) !== lexer.blocksOpen()) return list;
    // The quote itself reads the list it ended with again, with the lazy lines after it, but by
    // then the last token is the one before the quote: a list that may not interrupt a paragraph
    // was refused, and marked threw a TypeError. It is read as it was read inside the quote.
    const last = lexer.state.lastToken;
    lexer.state.lastToken = undefined;
    try {
      return super.list(src);
    } finally {
      lexer.state.lastToken = last;
    }
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

export type Nesting = 'block' | 'inline';

/** Thrown inside marked, which appends its own words to the message; markdownToHtml turns it into the 422. */
export class TooDeep extends Error {
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
export class LinearLexer extends Lexer {
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

  /** How many blockTokens are under way. */
  blocksOpen(): number {
    return this.#block.length;
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
