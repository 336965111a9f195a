/** Small escaping helpers for what `feed` (through xml-js) writes without escaping. */

/** Plain text as HTML, for the fields feeds declare as HTML: RSS description, Atom type="html". */
export function textAsHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `feed` wraps titles and HTML in CDATA, and xml-js splits only the first `]]>`, so a second one
 * would end the section early and break the document. `]]&gt;` is the same text to an HTML reader.
 */
export function guardCdata(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}

/** A value for an XML attribute between double quotes. */
export function xmlAttribute(value: string): string {
  return textAsHtml(value).replace(/"/g, '&quot;');
}

/** RFC 5005's namespace for <fh:archive/>. */
export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/** Inserts `insertion` right after the one occurrence of `anchor`; fails loudly when `feed` changed how it writes it. */
export function insertAfterOnce(text: string, anchor: string, insertion: string, format: string): string {
  const at = text.indexOf(anchor);
  if (at < 0 || text.includes(anchor, at + 1)) {
    throw new Error(`${format} output of \`feed\` changed shape: expected exactly one ${anchor}`);
  }
  const end = at + anchor.length;
  return text.slice(0, end) + insertion + text.slice(end);
}
