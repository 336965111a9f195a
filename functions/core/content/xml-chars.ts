/**
 * XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF],
 * even as character references; one stray control character makes a whole feed unreadable
 * in strict readers. The `u` flag makes a valid surrogate pair one code point, so `\p{Cs}`
 * matches only lone surrogates and emoji survive.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\p{Cs}]/gu;

/** The string with every code point XML 1.0 forbids removed. */
export function stripXmlForbidden(s: string): string {
  return s.replace(XML_FORBIDDEN, '');
}
