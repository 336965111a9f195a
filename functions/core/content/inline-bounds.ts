/**
 * The bounds markdown.ts puts on marked's inline rules, so each parse takes time linear in its
 * text: addresses' local parts, the closer searches of emphasis and strikethrough, delimiter
 * runs and bare URLs (the reasons are in markdown.ts's header).
 */
import { Lexer } from 'marked';

/** RFC 5321, 4.5.3.1.1: the local part of a mailbox is at most 64 octets. */
const LOCAL_PART_MAX = 64;

/** `rule` with each of its `count` runs of `<localPart>+` bounded to LOCAL_PART_MAX characters. */
function boundLocalParts(rule: RegExp, localPart: string, count: number): RegExp {
  const pieces = rule.source.split(`${localPart}+`);
  if (pieces.length - 1 !== count) {
    throw new Error(`marked's GFM rule /${rule.source}/ no longer has ${count} runs of ${localPart}+: review functions/core/content/inline-bounds.ts`);
  }
  return new RegExp(pieces.join(`${localPart}{1,${LOCAL_PART_MAX}}`), rule.flags);
}

const gfm = Lexer.rules.inline.gfm;
export const boundedRules = {
  /** A bare address, and the mailto: and xmpp: forms. */
  url: boundLocalParts(gfm.url, '[A-Za-z0-9._+-]', 3),
  /** Plain text, which ends before anything that may start an address. */
  text: boundLocalParts(gfm.text, "[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]", 2),
};

/** Characters the closer searches of one parse may scan, for each character of its text (and a floor). */
export const CLOSER_SCANS_PER_CHAR = 4;
export const CLOSER_SCANS_FLOOR = 10_000;

/** What is left of a parse's closer searches. */
export interface ScanBudget {
  left: number;
}

/** A search for closing delimiters that finds nothing once its parse's budget is spent. */
export class BudgetedSearch extends RegExp {
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

