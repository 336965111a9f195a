/**
 * HTML nested past a depth, flattened before the sanitizer reads it.
 *
 * sanitize-html parses with htmlparser2 10, whose parser keeps its open elements in an array it
 * grows and shrinks at the front (unshift, shift): each start tag costs time in proportion to how
 * many elements are open, so a document of nested elements is quadratic in their number (1 MB of
 * `<div>` took minutes). Here one pass finds where htmlparser2 would open and close elements,
 * following its rules (its tokenizer's tags, comments and raw-text elements; its parser's implied
 * end tags and void elements), and drops the start tags that would open an element deeper than the
 * limit, with their end tags, keeping their content: what sanitize-html's own `nestingLimit` does
 * too, once it has paid for the parse.
 */

/** htmlparser2's void elements: never open. */
const VOID = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'image', 'img', 'input',
  'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]); // prettier-ignore

/** htmlparser2's implied end tags: a start tag closes the open elements on top named in its set. */
const P = ['p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const IMPLIED_CLOSE = new Map<string, Set<string>>(
  (
    [
      ['tr', ['tr', 'th', 'td']], ['th', ['th']], ['td', ['thead', 'th', 'td']], ['body', ['head', 'link', 'script']],
      ['li', ['li']], ['option', ['option']], ['optgroup', ['optgroup', 'option']], ['dd', ['dd', 'dt']], ['dt', ['dd', 'dt']],
      ['rt', ['rt', 'rp']], ['rp', ['rt', 'rp']], ['tbody', ['thead', 'tbody']], ['tfoot', ['thead', 'tbody']],
      ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((tag): [string, string[]] => [tag, FORM]),
      ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset',
        'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul',
      ].map((tag): [string, string[]] => [tag, P]),
    ] as Array<[string, string[]]>
  ).map(([tag, closes]) => [tag, new Set(closes)]),
); // prettier-ignore

/** Elements whose content htmlparser2's tokenizer reads as text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp']);
const RAW_TEXT_END = new Map([...RAW_TEXT].map((tag) => [tag, new RegExp(`</${tag}[\\t\\n\\f\\r >]`, 'gi')]));

/** htmlparser2's whitespace. */
const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\f' || c === '\r';
const isLetter = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

type Tag = { kind: 'open'; name: string; selfClosing: boolean; end: number } | { kind: 'close'; name: string; end: number } | { kind: 'other'; end: number };

/**
 * `html` with the elements htmlparser2 would open deeper than `limit` unwrapped: their start and
 * end tags dropped, their content kept. Unchanged (the same string) when nothing is that deep.
 */
export function limitHtmlNesting(html: string, limit: number): string {
  const nesting = new Nesting(limit);
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at)) {
    const tag = readTag(html, at);
    // "<script/>" opens a script element like any other (HTML has no self-closing tags), holding markup, not text.
    const rawText = tag.kind === 'open' && RAW_TEXT.has(tag.name) && !tag.selfClosing;
    if (rawText) tag.end = rawTextEnd(html, tag.name, tag.end);
    if (tag.kind === 'open') nesting.open(tag.name, at, tag.end, rawText);
    if (tag.kind === 'close') nesting.close(tag.name, at, tag.end);
    at = Math.max(tag.end, at + 1);
  }
  return nesting.cuts.length === 0 ? html : withoutCuts(html, nesting.cuts);
}

/**
 * htmlparser2's stack of open elements as it would be for the text without the cuts, kept with
 * push and pop (and a count per name, to find one in constant time), and the cuts.
 */
class Nesting {
  readonly cuts: Array<[start: number, end: number]> = [];
  readonly #names: string[] = [];
  readonly #counts = new Map<string, number>();
  /** Elements unwrapped and not yet closed, by name: their end tags go too. */
  readonly #unwrapped = new Map<string, number>();

  constructor(readonly limit: number) {}

  /**
   * A start tag: it closes the open elements its name implies the end of, then opens one, unless
   * that would be deeper than the limit: then it is cut (and closes nothing). Void elements open
   * nothing; a raw-text element (`end` already past its text and end tag) holds no elements, so it
   * never nests and is kept at any depth (cut, its text would be read as markup).
   */
  open(name: string, start: number, end: number, rawText: boolean): void {
    const closes = IMPLIED_CLOSE.get(name);
    let closing = 0;
    while (closes && closing < this.#names.length && closes.has(this.#names.at(-1 - closing)!)) closing++;
    const opens = !VOID.has(name) && !rawText;
    if (opens && this.#names.length - closing >= this.limit) {
      this.cuts.push([start, end]);
      this.#unwrapped.set(name, (this.#unwrapped.get(name) ?? 0) + 1);
      return;
    }
    for (; closing > 0; closing--) this.#pop();
    if (opens) this.#push(name);
  }

  /** An end tag: an unwrapped element's is cut; otherwise it closes the innermost open `name` and all inside it, or nothing. */
  close(name: string, start: number, end: number): void {
    const unwrapped = this.#unwrapped.get(name) ?? 0;
    if (unwrapped > 0) {
      this.cuts.push([start, end]);
      this.#unwrapped.set(name, unwrapped - 1);
    } else if (this.#counts.get(name)) {
      while (this.#pop() !== name);
    }
  }

  #push(name: string): void {
    this.#names.push(name);
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
  }

  #pop(): string | undefined {
    const name = this.#names.pop();
    if (name !== undefined) this.#counts.set(name, this.#counts.get(name)! - 1);
    return name;
  }
}

/** The markup starting at `html[at]` (a "<"), read as htmlparser2's tokenizer reads it in HTML mode. */
function readTag(html: string, at: number): Tag {
  const next = html[at + 1];
  if (next === '!') return { kind: 'other', end: declarationEnd(html, at) };
  if (next === '?') return { kind: 'other', end: after(html, '>', at) };
  if (next === '/') return closingTag(html, at + 2);
  if (!isLetter(next)) return { kind: 'other', end: at + 1 };
  let i = at + 1;
  while (i < html.length && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>') i++;
  const { end, selfClosing } = startTagEnd(html, i);
  return { kind: 'open', name: html.slice(at + 1, i).toLowerCase(), selfClosing, end };
}

/** Comments end at "-->" (or at once for "<!-->" and "<!--->"), CDATA at "]]>", other declarations at ">". */
function declarationEnd(html: string, at: number): number {
  if (html.startsWith('<!--', at)) return after(html, '-->', at + 2);
  if (html.startsWith('<![CDATA[', at)) return after(html, ']]>', at + 9);
  return after(html, '>', at + 2);
}

/** `</` then spaces; a letter starts an end tag's name, which runs to a space or ">"; anything else is a bogus comment. */
function closingTag(html: string, from: number): Tag {
  let i = from;
  while (isSpace(html[i])) i++;
  if (html[i] === '>') return { kind: 'other', end: i + 1 };
  if (!isLetter(html[i])) return { kind: 'other', end: after(html, '>', i) };
  const start = i;
  while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
  if (i >= html.length) return { kind: 'other', end: html.length };
  return { kind: 'close', name: html.slice(start, i).toLowerCase(), end: after(html, '>', i) };
}

/**
 * Past the attributes of a start tag whose name ends at `from`: the index after its ">" (or the end
 * of the text), and whether it ends in "/>" (a raw-text element written so holds no text).
 */
function startTagEnd(html: string, from: number): { end: number; selfClosing: boolean } {
  let slash = false;
  for (let i = from; i < html.length; ) {
    const c = html[i];
    if (c === '>') return { end: i + 1, selfClosing: slash };
    if (isSpace(c) || c === '/') {
      slash ||= c === '/';
      i++;
      continue;
    }
    // An attribute name (its first character may be anything else), to "=", a space, "/" or ">".
    slash = false;
    i++;
    while (i < html.length && html[i] !== '=' && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>') i++;
    while (isSpace(html[i])) i++;
    if (html[i] === '=') i = attributeValueEnd(html, i + 1);
  }
  return { end: html.length, selfClosing: false };
}

function attributeValueEnd(html: string, from: number): number {
  let i = from;
  while (isSpace(html[i])) i++;
  const quote = html[i];
  if (quote === '"' || quote === "'") return after(html, quote, i + 1);
  while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
  return i;
}

/** The index after the end tag that closes a raw-text element's text starting at `from`. */
function rawTextEnd(html: string, name: string, from: number): number {
  const end = RAW_TEXT_END.get(name)!;
  end.lastIndex = from;
  return end.exec(html) ? after(html, '>', end.lastIndex - 1) : html.length;
}

/** The index after the first `needle` at or after `from`; the end of the text when there is none. */
function after(html: string, needle: string, from: number): number {
  const found = html.indexOf(needle, from);
  return found === -1 ? html.length : found + needle.length;
}

function withoutCuts(html: string, cuts: Array<[number, number]>): string {
  let out = '';
  let kept = 0;
  for (const [start, end] of cuts) {
    out += html.slice(kept, start);
    kept = end;
  }
  return out + html.slice(kept);
}
