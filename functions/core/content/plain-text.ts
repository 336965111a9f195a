import { compile, type DomNode, type FormatCallback } from 'html-to-text';
import { stripXmlForbidden } from './xml-chars.js';

/** Images become their alt text in brackets; a src (possibly a long data: URL) is noise in plain text. */
const altText: FormatCallback = (elem, _walk, builder) => {
  const alt = typeof elem.attribs?.alt === 'string' ? elem.attribs.alt.trim() : '';
  if (alt !== '') builder.addInline(`[${alt}]`);
};

/**
 * Tables up to this many rows and columns are laid out in aligned columns by html-to-text's
 * dataTable, whose layout takes time quadratic in the larger of the two (a table of 13,000 rows
 * took a second, one cell of colspan="100000" most of a minute, then overflowed the stack);
 * larger tables become one line per row, cells apart as dataTable sets them.
 */
const MAX_TABLE_SIDE = 200;
const COLUMN_GAP = '   ';

const sizedTable: FormatCallback = (elem, walk, builder, formatOptions) => {
  const format = fitsLayout(elem) ? builder.options.formatters.dataTable! : rowsAsLines;
  format(elem, walk, builder, formatOptions);
};

const rowsAsLines: FormatCallback = (elem, walk, builder, formatOptions) => {
  builder.openBlock({ leadingLineBreaks: formatOptions.leadingLineBreaks ?? 1 });
  for (const row of rowsOf(elem)) {
    cellsOf(row).forEach((cell, i) => {
      if (i > 0) builder.addLiteral(COLUMN_GAP);
      walk(cell.children, builder);
    });
    builder.addLineBreak();
  }
  builder.closeBlock({ trailingLineBreaks: formatOptions.trailingLineBreaks ?? 1 });
};

/** Whether the table's layout, spans included, is at most MAX_TABLE_SIDE rows and columns. */
function fitsLayout(table: DomNode): boolean {
  // covered[j]: the columns the cells of row j, and the cells above spanning into it, take.
  const covered: number[] = [];
  const rows = rowsOf(table, MAX_TABLE_SIDE + 1);
  for (const [j, row] of rows.entries()) {
    for (const cell of cellsOf(row)) {
      // As html-to-text reads them; sanitizeArticleHtml leaves only whole numbers from 0.
      const rowspan = Number(cell.attribs?.rowspan) || 1;
      const colspan = Number(cell.attribs?.colspan) || 1;
      if (j + rowspan > MAX_TABLE_SIDE || colspan > MAX_TABLE_SIDE) return false;
      for (let r = j; r < j + rowspan; r++) covered[r] = (covered[r] ?? 0) + colspan;
      if (covered[j]! > MAX_TABLE_SIDE) return false;
    }
  }
  return covered.every((columns) => columns <= MAX_TABLE_SIDE);
}

/** The rows of a table in order (the first `max`), through thead, tbody and tfoot, as html-to-text's dataTable finds them. */
function rowsOf(node: DomNode, max = Infinity, rows: DomNode[] = []): DomNode[] {
  for (const child of node.children) {
    if (rows.length >= max) break;
    if (child.type !== 'tag') continue;
    if (child.name === 'tr') rows.push(child);
    else if (['thead', 'tbody', 'tfoot', 'center'].includes(child.name ?? '')) rowsOf(child, max, rows);
  }
  return rows;
}

function cellsOf(row: DomNode): DomNode[] {
  return row.children.filter((cell) => cell.type === 'tag' && (cell.name === 'td' || cell.name === 'th'));
}

const headings = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
  selector,
  options: { uppercase: false },
}));

/**
 * No word wrap. The same text is the JSON Feed `content_text`, where hard breaks are wrong, and
 * the plain-text part of the digest, where mail clients wrap lines to the reader's screen (a
 * text hard-wrapped at 78 turns ragged on a phone); nodemailer's quoted-printable encoding keeps
 * the lines on the wire short either way.
 */
const toText = compile({
  wordwrap: false,
  formatters: { altText, sizedTable },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['[', ']'] } },
    { selector: 'img', format: 'altText' },
    { selector: 'table', format: 'sizedTable', options: { uppercaseHeaderCells: false } },
    ...headings,
  ],
});

const firstParagraph = compile({
  wordwrap: false,
  baseElements: { selectors: ['p'], returnDomByDefault: false },
  limits: { maxBaseElements: 1 },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
  ],
});

/** Readable plain text for HTML: links as `text [url]`, images as `[alt]`, headings as written. */
export function htmlToPlainText(html: string): string {
  // Block elements each add their own margin; one blank line between blocks reads best.
  // trimEnd, not /\s+$/: that regex tries every run of whitespace from each of its characters to the run's end (quadratic).
  return stripXmlForbidden(toText(html))
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '')
    .trimEnd();
}

/** More than a summary takes (summarize: 280 by default). */
export const FIRST_PARAGRAPH_CHARACTERS = 1_000;

/**
 * The text of the first `<p>` in `html` (sanitized HTML, whose markup is canonical: lower-case tag
 * names, no comments, "<" escaped in text and attribute values), without link targets; empty when
 * there is none. Made for a summary: a paragraph longer than FIRST_PARAGRAPH_CHARACTERS may come
 * back cut after that many characters, its markup read only so far (not the whole document again).
 */
export function firstParagraphText(html: string): string {
  const paragraph = firstParagraphMarkup(html);
  if (paragraph === undefined) return '';
  // Read twice as much markup each time until it gives enough text (or is all of it): linear in what is read.
  for (let length = FIRST_PARAGRAPH_CHARACTERS * 8; ; length *= 2) {
    const text = collapseWhitespace(stripXmlForbidden(firstParagraph(paragraph.slice(0, length))));
    // The margin keeps out a word or an entity cut in half at the end of the markup read.
    if (length >= paragraph.length) return text;
    if (text.length >= FIRST_PARAGRAPH_CHARACTERS + 100) return text.slice(0, FIRST_PARAGRAPH_CHARACTERS).replace(/[\uD800-\uDBFF]$/, '');
  }
}

const P_START = /<p[\s>]/i;
const P_TAG = /<(\/?)p[\s>]/gi;

/** The markup of the first `<p>` element, through its `</p>` (counting the paragraphs nested in it), or to the end. */
function firstParagraphMarkup(html: string): string | undefined {
  const start = html.search(P_START);
  if (start === -1) return undefined;
  P_TAG.lastIndex = start + 2;
  let open = 1;
  for (let tag = P_TAG.exec(html); tag; tag = P_TAG.exec(html)) {
    open += tag[1] ? -1 : 1;
    if (open === 0) return html.slice(start, html.indexOf('>', tag.index) + 1);
  }
  return html.slice(start);
}

/**
 * `text` on one line, at most `max` characters (code points) long: cut at the last word
 * boundary that fits, ending in an ellipsis.
 */
export function summarize(text: string, max = 280): string {
  const chars = Array.from(collapseWhitespace(text));
  if (chars.length <= max) return chars.join('');
  if (max < 1) return '';
  const room = chars.slice(0, max - 1);
  const endsAtWord = chars[max - 1] === ' ';
  const lastSpace = room.lastIndexOf(' ');
  // Without a space to cut at (one very long word) the cut falls inside the word.
  const kept = (endsAtWord || lastSpace <= 0 ? room : room.slice(0, lastSpace)).join('');
  return `${kept.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
