/**
 * Structure checks on generated HTML: parse it as a browser would (entities decoded once)
 * and query elements, rather than comparing whole documents.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import type { Document, Element } from 'domhandler';

export type { Element };

export const parseHtml = (html: string): Document => parseDocument(html);

export const elements = (root: Document | Element, tag: string): Element[] => DomUtils.getElementsByTagName(tag, root, true);

export const elementsWhere = (root: Document | Element, test: (el: Element) => boolean): Element[] => DomUtils.findAll(test, root.children);

export const attr = (el: Element, name: string): string | undefined => el.attribs[name];

export const text = (el: Element): string => DomUtils.textContent(el).replace(/\s+/g, ' ').trim();

export const hasClass = (el: Element, name: string) => (el.attribs.class ?? '').split(/\s+/).includes(name);

export const byClass = (root: Document | Element, name: string) => elementsWhere(root, (el) => hasClass(el, name));

export const byId = (root: Document | Element, id: string) => DomUtils.getElementById(id, root.children) ?? undefined;

export const links = (root: Document | Element, rel: string) => elements(root, 'link').filter((el) => attr(el, 'rel') === rel);

export const metaContent = (root: Document | Element, key: string): string[] =>
  elements(root, 'meta')
    .filter((el) => attr(el, 'name') === key || attr(el, 'property') === key)
    .map((el) => attr(el, 'content') ?? '');

/** Every URL-valued attribute in the document, with where it was found. */
export function urlAttributes(root: Document | Element): Array<{ tag: string; attribute: string; value: string }> {
  const found: Array<{ tag: string; attribute: string; value: string }> = [];
  for (const el of elementsWhere(root, () => true)) {
    for (const attribute of ['href', 'src', 'action', 'srcset', 'poster']) {
      const value = el.attribs[attribute];
      if (value !== undefined) found.push({ tag: el.name, attribute, value });
    }
  }
  return found;
}

export const isAbsoluteHttpUrl = (value: string) => {
  try {
    return ['https:', 'http:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** A title that breaks out of any text or attribute it is not escaped in. */
export const HOSTILE_TITLE = `<script>alert(1)</script> & "quotes" 'apostrophes'`;
