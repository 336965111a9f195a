/**
 * What must never reach a reader from article content: elements that run code or embed
 * documents, event-handler attributes, and script URLs, found the way a browser parses the
 * HTML (entities decoded, control characters ignored in schemes).
 */
import { DomUtils, Parser, parseDocument } from 'htmlparser2';

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

/**
 * Every unsafe thing found in `html`, described; empty when it is safe. Read as the parser
 * meets each tag rather than from a built document: the same elements and attributes, without
 * the tree (this runs on every page of the property tests).
 */
export function unsafeMarkup(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (FORBIDDEN_ELEMENTS.has(name)) found.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attribs)) {
          if (attribute.startsWith('on')) found.push(`${name}@${attribute}`);
          const followed =
            URL_ATTRIBUTES.has(attribute) || (name === 'meta' && attribute === 'content' && /refresh/i.test(attribs['http-equiv'] ?? ''));
          const candidates = !followed
            ? []
            : attribute === 'srcset'
              ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '')
              : [value];
          for (const url of candidates) {
            if (SCRIPT_SCHEME.test(url.replace(IGNORED_IN_SCHEME, '').toLowerCase()))
              found.push(`${name}@${attribute}=${url.slice(0, 60)}`);
          }
          if (attribute === 'style' && /javascript:|expression\(/i.test(value)) found.push(`${name}@style`);
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
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
