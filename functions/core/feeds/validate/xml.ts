/**
 * XML 1.0 well-formedness as strict readers apply it, and a plain tree of the document, in one
 * pass. Written for the gate rather than taken from fast-xml-parser: that parser's validator lets
 * forbidden characters, undefined entities and a stray "]]>" through, and validating and then
 * parsing 1,800 feeds of a full publish cost seconds; this scanner jumps from "<" to "<" with
 * indexOf, so the CDATA-wrapped HTML that makes up most of a feed costs next to nothing.
 */
import type { ProblemList } from './problems.js';

/** An element: attributes under "@name", text under "#text" (trimmed), children as arrays by name. */
export interface XmlNode {
  [name: string]: XmlNode[] | string | undefined;
}

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\p{Cs}]/u;
// The same without lone surrogates, which isWellFormed finds natively: a third of the time over a feed's 100 KB.
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const NAME = /^[A-Za-z_:][-\w.:]*/;
const ATTRIBUTE = /\s+([A-Za-z_:][-\w.:]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const REFERENCE = /&([^;&\s<]*)(;?)/g;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class NotWellFormed extends Error {}

interface Open {
  name: string;
  node: XmlNode;
  text: string[];
}

/** The document's root element, or undefined (with the problems said) when it is not well-formed. */
export function parseXml(xml: string, problems: ProblemList): { name: string; node: XmlNode } | undefined {
  const forbidden = CONTROL.exec(xml) ?? (xml.isWellFormed() ? null : FORBIDDEN.exec(xml));
  if (forbidden) {
    problems.add(
      'xml-chars',
      `offset ${forbidden.index}`,
      `contains U+${forbidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 forbids`,
    );
    return undefined;
  }
  try {
    return scan(xml, problems);
  } catch (error) {
    if (!(error instanceof NotWellFormed)) throw error;
    problems.add('xml-well-formed', `offset ${lineOf(xml, error.message)}`, error.message.replace(/^@\d+ /, ''));
    return undefined;
  }
}

function lineOf(xml: string, message: string): string {
  const at = Number(/^@(\d+)/.exec(message)?.[1] ?? 0);
  return `line ${xml.slice(0, at).split('\n').length}`;
}

const fail = (at: number, message: string): never => {
  throw new NotWellFormed(`@${at} ${message}`);
};

// eslint-disable-next-line complexity, max-lines-per-function -- the XML 1.0 well-formedness scanner: one loop over the kinds of markup
function scan(xml: string, problems: ProblemList): { name: string; node: XmlNode } | undefined {
  const stack: Open[] = [];
  let root: { name: string; node: XmlNode } | undefined;
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail(0, 'the XML declaration is not closed');
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > i) addText(xml.slice(i, textEnd), i, stack, problems);
    if (lt < 0) break;
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0) fail(lt, 'a CDATA section is not closed');
      if (stack.length === 0) fail(lt, 'a CDATA section outside the root element');
      stack[stack.length - 1]!.text.push(xml.slice(lt + 9, end));
      i = end + 3;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) fail(lt, 'a comment is not closed');
      i = end + 3;
    } else if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) fail(lt, 'a processing instruction is not closed');
      i = end + 2;
    } else if (xml.startsWith('<!', lt)) {
      // Feeds need no DOCTYPE, and entity declarations are how billion-laughs documents start.
      fail(lt, 'a DOCTYPE or markup declaration, which a feed must not carry');
    } else if (xml[lt + 1] === '/') {
      const gt = xml.indexOf('>', lt);
      if (gt < 0) fail(lt, 'an end tag is not closed');
      const name = xml.slice(lt + 2, gt).trimEnd();
      const open = stack.pop();
      if (open === undefined || open.name !== name) fail(lt, `</${name}> closes ${open ? `<${open.name}>` : 'nothing'}`);
      close(open!, stack, (done) => (root = done));
      i = gt + 1;
    } else {
      const gt = tagEnd(xml, lt);
      const selfClosing = xml[gt - 1] === '/';
      const inner = xml.slice(lt + 1, selfClosing ? gt - 1 : gt);
      const name = NAME.exec(inner)?.[0];
      if (name === undefined) fail(lt, `"<${inner.slice(0, 20)}" does not start an element`);
      if (stack.length === 0 && root !== undefined) fail(lt, `a second root element <${name}>`);
      const open: Open = { name: name!, node: attributes(inner, name!.length, lt, problems), text: [] };
      if (selfClosing) close(open, stack, (done) => (root = done));
      else stack.push(open);
      i = gt + 1;
    }
  }
  if (stack.length > 0) fail(xml.length, `<${stack[stack.length - 1]!.name}> is never closed`);
  if (root === undefined) fail(0, 'there is no root element');
  return root;
}

/** The ">" ending the tag that starts at `lt`, skipping quoted attribute values. */
function tagEnd(xml: string, lt: number): number {
  let quote = '';
  for (let j = lt + 1; j < xml.length; j++) {
    const c = xml[j];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return j;
    } else if (c === '<') {
      break;
    }
  }
  return fail(lt, 'a start tag is not closed');
}

function attributes(inner: string, from: number, at: number, problems: ProblemList): XmlNode {
  const node: XmlNode = {};
  ATTRIBUTE.lastIndex = from;
  let end = from;
  for (let match = ATTRIBUTE.exec(inner); match !== null; match = ATTRIBUTE.exec(inner)) {
    const key = `@${match[1]}`;
    if (key in node) fail(at, `the attribute ${match[1]} appears twice`);
    node[key] = decode(match[2] ?? match[3] ?? '', at, problems);
    end = ATTRIBUTE.lastIndex;
  }
  if (inner.slice(end).trim() !== '') fail(at, `"${inner.slice(end).trim().slice(0, 30)}" is not an attribute written name="value"`);
  return node;
}

function addText(segment: string, at: number, stack: Open[], problems: ProblemList): void {
  if (stack.length === 0) {
    if (segment.trim() !== '') fail(at, 'text outside the root element');
    return;
  }
  if (segment.includes(']]>')) fail(at, '"]]>" appears outside a CDATA section (or one CDATA section ended early)');
  stack[stack.length - 1]!.text.push(segment.includes('&') ? decode(segment, at, problems) : segment);
}

/** Text or an attribute value with its references resolved; a reference XML does not define is a problem. */
function decode(value: string, at: number, problems: ProblemList): string {
  if (!value.includes('&')) return value;
  return value.replace(REFERENCE, (whole, name: string, semicolon: string) => {
    if (!semicolon) fail(at, `"${whole.slice(0, 20)}" is not a reference (escape "&" as &amp;)`);
    if (name.startsWith('#')) {
      const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      if (!Number.isInteger(code) || !isXmlChar(code)) {
        problems.add('xml-chars', whole, `the character reference ${whole} names a character XML 1.0 forbids`);
        return '';
      }
      return String.fromCodePoint(code);
    }
    const replacement = PREDEFINED[name];
    if (replacement === undefined) fail(at, `"${whole}" is not one of XML's five predefined entities (escape "&" as &amp;)`);
    return replacement!;
  });
}

function close(open: Open, stack: Open[], onRoot: (root: { name: string; node: XmlNode }) => void): void {
  const content = open.text.join('').trim();
  if (content !== '') open.node['#text'] = content;
  const parent = stack[stack.length - 1];
  if (parent === undefined) return onRoot({ name: open.name, node: open.node });
  const siblings = parent.node[open.name];
  if (Array.isArray(siblings)) siblings.push(open.node);
  else parent.node[open.name] = [open.node];
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

export function children(node: XmlNode, name: string): XmlNode[] {
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

export function text(node: XmlNode | undefined): string {
  const value = node?.['#text'];
  return typeof value === 'string' ? value : '';
}

export function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** Child element names, without attributes and text. */
export function elementNames(node: XmlNode): string[] {
  return Object.keys(node).filter((name) => !name.startsWith('@') && name !== '#text');
}
