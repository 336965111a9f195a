/**
 * What must never reach a reader from article content: elements that run code or embed
 * documents, event-handler attributes, and script URLs, found the way a browser parses the
 * HTML (entities decoded, control characters ignored in schemes).
 */
import { DomUtils, parseDocument } from 'htmlparser2';

const FORBIDDEN_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'applet', 'frame', 'frameset']);
// eslint-disable-next-line no-control-regex -- browsers skip these inside a URL's scheme
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007F-\u009F]/g;
const SCRIPT_SCHEME = /^(?:javascript|vbscript|livescript):/;
/** Attributes a browser follows or loads as URLs; other attributes (alt, title, meta content) are text. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'data',
  'cite',
  'longdesc',
  'usemap',
  'codebase',
  'dynsrc',
  'lowsrc',
]);

/** Every unsafe thing found in `html`, described; empty when it is safe. */
export function unsafeMarkup(html: string): string[] {
  const found: string[] = [];
  const document = parseDocument(html, { decodeEntities: true, lowerCaseAttributeNames: true });
  for (const element of DomUtils.findAll(() => true, document.children)) {
    if (FORBIDDEN_ELEMENTS.has(element.name)) found.push(`<${element.name}>`);
    for (const [name, value] of Object.entries(element.attribs)) {
      if (name.startsWith('on')) found.push(`${element.name}@${name}`);
      const followed =
        URL_ATTRIBUTES.has(name) || (element.name === 'meta' && name === 'content' && /refresh/i.test(element.attribs['http-equiv'] ?? ''));
      const candidates = !followed ? [] : name === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
      for (const url of candidates) {
        if (SCRIPT_SCHEME.test(url.replace(IGNORED_IN_SCHEME, '').toLowerCase())) found.push(`${element.name}@${name}=${url.slice(0, 60)}`);
      }
      if (name === 'style' && /javascript:|expression\(/i.test(value)) found.push(`${element.name}@style`);
    }
  }
  return found;
}

/** Every href and src of `html` that is not an absolute http(s) or mailto URL. */
export function relativeLinks(html: string): string[] {
  const document = parseDocument(html, { decodeEntities: true });
  return DomUtils.findAll(() => true, document.children).flatMap((element) =>
    ['href', 'src'].flatMap((name) => {
      const value = element.attribs[name];
      return value === undefined || /^(?:https?:\/\/[^/]|mailto:)/i.test(value) ? [] : [`${element.name}@${name}=${value.slice(0, 80)}`];
    }),
  );
}

/** Images without an alt attribute (alt="" is fine: it marks a decorative image). */
export function imagesWithoutAlt(html: string): string[] {
  const document = parseDocument(html);
  return DomUtils.getElementsByTagName('img', document, true)
    .filter((img) => img.attribs.alt === undefined)
    .map((img) => img.attribs.src ?? '');
}
