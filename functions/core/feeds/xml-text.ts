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
