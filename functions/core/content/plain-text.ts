import { compile, type FormatCallback } from 'html-to-text';
import { stripXmlForbidden } from './xml-chars.js';

/** Images become their alt text in brackets; a src (possibly a long data: URL) is noise in plain text. */
const altText: FormatCallback = (elem, _walk, builder) => {
  const alt = typeof elem.attribs?.alt === 'string' ? elem.attribs.alt.trim() : '';
  if (alt !== '') builder.addInline(`[${alt}]`);
};

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
  formatters: { altText },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['[', ']'] } },
    { selector: 'img', format: 'altText' },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
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
  return stripXmlForbidden(toText(html))
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\s+$/g, '');
}

/** The text of the first `<p>` in `html`, without link targets; empty when there is none. */
export function firstParagraphText(html: string): string {
  return collapseWhitespace(stripXmlForbidden(firstParagraph(html)));
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
