import sanitizeHtml from 'sanitize-html';
import { limitHtmlNesting } from './html-nesting.js';
import { stripXmlForbidden } from './xml-chars.js';

/**
 * Article HTML is embedded in feeds, pages and emails, so it is reduced to what an article needs
 * to read well: text structure, links, images, tables. Anything that can run code, load frames,
 * submit forms, restyle the host page or redirect (script, iframe, object, embed, meta, style,
 * form, base, svg, on* attributes, style attributes) is removed.
 */
const ALLOWED_TAGS = [
  // The most frequent first: sanitize-html looks every tag up in this list one by one.
  'a', 'em', 'strong', 'code', 'p', 'li', 'td', 'tr', 'th', 'br', 'img',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'div', 'span',
  'ul', 'ol', 'dl', 'dt', 'dd',
  'blockquote', 'pre', 'kbd', 'samp', 'var',
  'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup',
  'abbr', 'cite', 'q', 'dfn', 'time', 'wbr',
  'figure', 'figcaption',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot',
];

/**
 * Disallowed elements whose *content* must go too, not only the tags: code, styles, raw text
 * containers (which htmlparser2 does not decode), and embedded documents.
 */
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'select', 'xmp', 'plaintext', 'template', 'noscript', 'noembed',
  'noframes', 'iframe', 'frameset', 'object', 'applet', 'embed', 'svg', 'math', 'head', 'title',
];

const ALLOWED_ATTRIBUTES: sanitizeHtml.IOptions['allowedAttributes'] = {
  '*': ['lang', 'dir', 'title'],
  a: ['href', 'hreflang'],
  img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  th: ['colspan', 'rowspan', 'scope', 'headers', 'align'],
  td: ['colspan', 'rowspan', 'headers', 'align'],
  col: ['span'],
  colgroup: ['span'],
};

/**
 * Elements nested deeper are unwrapped, their content kept: HTML parsing took time quadratic in the
 * depth (html-nesting.ts), and converting HTML to plain text recurses once per level (it overflowed
 * the stack at a few thousand). Markdown nested as deep as it may be (markdown.ts) stays within.
 */
export const MAX_HTML_NESTING = 100;

/** The spans the HTML standard reads, smallest and largest; a larger value means the largest (rowspan="0": to the end of the group). */
const SPANS: Record<string, [min: number, max: number]> = { colspan: [1, 1000], rowspan: [0, 65534] };

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES = new Set(['http:', 'https:']);
/** Raster images only: an SVG data URL is a document that may carry script. */
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif)[;,]/i;
const SRCSET_DESCRIPTOR = /^\d+(?:\.\d+)?[wxh]$/;

/**
 * Article HTML made safe to embed anywhere: an allow-list of tags and attributes, URLs limited
 * to http(s) and mailto (raster `data:` images on img src only), every URL made absolute against
 * `baseUrl` (readers and mail clients have no base to resolve against), and characters XML
 * forbids removed.
 *
 * Text is re-escaped on output (`&`, `<`, `>`), so `]]>` in the article comes out as `]]&gt;`
 * and cannot end a CDATA section a feed wraps the HTML in.
 */
export function sanitizeArticleHtml(html: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  const clean = sanitizeHtml(limitHtmlNesting(stripXmlForbidden(html), MAX_HTML_NESTING), {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: { code: ['language-*'], pre: ['language-*'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    nestingLimit: MAX_HTML_NESTING,
    parseStyleAttributes: false,
    transformTags: { '*': (tagName, attribs) => ({ tagName, attribs: absoluteUrls(tagName, attribs, base) }) },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  });
  return stripXmlForbidden(clean);
}

function absoluteUrls(tagName: string, attribs: sanitizeHtml.Attributes, base: URL): sanitizeHtml.Attributes {
  const out: sanitizeHtml.Attributes = {};
  for (const [name, value] of Object.entries(attribs)) {
    const key = name.toLowerCase();
    let safe: string | undefined = value;
    if (key === 'href' || key === 'cite') safe = safeUrl(value, base, LINK_SCHEMES);
    else if (key === 'src') safe = safeUrl(value, base, IMAGE_SCHEMES, tagName === 'img');
    else if (key === 'srcset') safe = safeSrcset(value, base);
    else if (key === 'colspan' || key === 'rowspan') safe = span(value, SPANS[key]!);
    if (safe !== undefined) out[name] = safe;
  }
  return out;
}

/**
 * A table cell's span as the HTML standard reads it (its leading digits, at most the largest), or
 * undefined (the default, 1) when that is not a valid span: a fraction or a negative number sent
 * the plain-text table layout into endless recursion.
 */
function span(value: string, [min, max]: [number, number]): string | undefined {
  const digits = /^\s*\+?(\d+)/.exec(value)?.[1];
  const n = digits === undefined ? NaN : Math.min(Number(digits), max);
  return n >= min ? String(n) : undefined;
}

/** The absolute URL a browser would follow, or undefined when its scheme is not allowed. */
function safeUrl(value: string, base: URL, schemes: Set<string>, allowDataImage = false): string | undefined {
  let url: URL;
  try {
    // The same parser browsers use, so entity, whitespace and case tricks resolve as they would there.
    url = new URL(value.trim(), base);
  } catch {
    return undefined;
  }
  if (schemes.has(url.protocol)) return url.href;
  if (allowDataImage && url.protocol === 'data:' && DATA_IMAGE.test(url.href)) return url.href;
  return undefined;
}

function safeSrcset(value: string, base: URL): string | undefined {
  const candidates: string[] = [];
  for (const { url, descriptors } of parseSrcset(value)) {
    const absolute = safeUrl(url, base, IMAGE_SCHEMES);
    if (absolute === undefined || /[\s,]/.test(absolute) || !descriptors.every((d) => SRCSET_DESCRIPTOR.test(d))) continue;
    candidates.push([absolute, ...descriptors].join(' '));
  }
  return candidates.length > 0 ? candidates.join(', ') : undefined;
}

/** Image candidates as the HTML standard splits them: a URL, then descriptors up to a comma outside parentheses. */
function parseSrcset(value: string): Array<{ url: string; descriptors: string[] }> {
  const candidates: Array<{ url: string; descriptors: string[] }> = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i]!)) i++;
    if (i >= value.length) break;
    const urlStart = i;
    while (i < value.length && !/\s/.test(value[i]!)) i++;
    let url = value.slice(urlStart, i);
    let descriptorText = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const descriptorStart = i;
      let depth = 0;
      while (i < value.length && !(value[i] === ',' && depth === 0)) {
        if (value[i] === '(') depth++;
        else if (value[i] === ')') depth = Math.max(0, depth - 1);
        i++;
      }
      descriptorText = value.slice(descriptorStart, i);
    }
    candidates.push({ url, descriptors: descriptorText.split(/\s+/).filter(Boolean) });
  }
  return candidates;
}
