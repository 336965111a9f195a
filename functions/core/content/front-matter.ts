import { CST, isAlias, LineCounter, parseDocument, Parser, visit, type Document, type Node, type YAMLError } from 'yaml';
import { PressrunError } from '../errors.js';

export interface FrontMatterSplit {
  /** The YAML mapping; undefined when the text has no front matter block. */
  data: Record<string, unknown> | undefined;
  /** The rest of the text, with LF line endings. */
  body: string;
}

/**
 * What a front matter block may hold. An article's fields need a few dozen keys, three levels and
 * a few KB; these leave room for that many times over, and bound the work YAML may cause: the
 * parser's duplicate-key check is quadratic in the keys of a mapping (60,000 keys took 97 s), its
 * composer recurses once per level, and an alias repeats what it names, aliases included (a
 * billion laughs in a few lines).
 */
export const FRONT_MATTER_LIMITS = {
  /** Characters between the --- lines. */
  characters: 65_536,
  /** Mappings and lists inside one another; the front matter mapping itself is level 1. */
  depth: 16,
  /** Keys of every mapping, together. */
  keys: 1_000,
  /** Aliases (`*name`), counting those repeated inside what an alias names (YAML's own maxAliasCount). */
  aliases: 100,
} as const;

const OPENING = /^---[ \t]*\n/;
const BLOCK = /^---[ \t]*\n(?:([\s\S]*?)\n)?---[ \t]*(?:\n|$)/;

/**
 * Splits a leading `---` … `---` YAML block from the text. A byte-order mark and CRLF line
 * endings (as editors on Windows save them) are accepted. YAML is read with the YAML 1.2 core
 * schema, so `date: 2025-04-22` stays the string the author wrote rather than a local-time Date.
 * A block past one of FRONT_MATTER_LIMITS is refused as invalid before it is read.
 *
 * `source` (a file name) prefixes error messages.
 */
export function splitFrontMatter(text: string, source?: string): FrontMatterSplit {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!OPENING.test(normalized)) return { data: undefined, body: normalized };

  const match = BLOCK.exec(normalized);
  if (!match) throw malformed(source, 'starts with --- but has no closing --- line');

  const data = readYaml(match[1] ?? '', source) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw malformed(source, 'must be a YAML mapping of field: value lines');
  }
  return { data: data as Record<string, unknown>, body: normalized.slice(match[0].length) };
}

function readYaml(yaml: string, source: string | undefined): unknown {
  const limit = limitPassed(yaml);
  if (limit) throw pastLimit(source, limit);
  // YAML's prettyErrors quotes the line of every error: 63,000 stray "]" on one line took 3 s. Only the first is reported.
  const lines = new LineCounter();
  // logLevel 'error': yaml's warnings (a key that is a list or mapping is stringified) go to
  // process.emitWarning, a stack-less line on stderr per article; such a key is refused as an unknown field anyway.
  const document = parseDocument(yaml, { schema: 'core', prettyErrors: false, lineCounter: lines, logLevel: 'error' });
  const error = document.errors[0] ?? aliasProblem(document);
  if (error) throw malformed(source, `is not valid YAML: ${located(error, yaml, lines)}`, error);
  try {
    return document.toJS({ maxAliasCount: FRONT_MATTER_LIMITS.aliases });
  } catch (err) {
    if (err instanceof ReferenceError && /alias count/i.test(err.message)) throw pastLimit(source, ALIASES, err);
    throw err;
  }
}

type Problem = Pick<YAMLError, 'message' | 'pos'>;

/**
 * The first alias that names no anchor set before it, or sits inside what its anchor names.
 * YAML reads both without an error; asked for the values, it throws a ReferenceError on the
 * first and builds a cycle from the second, on which any walk of the values never ends.
 */
function aliasProblem(document: Document): Problem | undefined {
  const anchors = new Map<string, Node>();
  let problem: Problem | undefined;
  visit(document, {
    Node(_key, node) {
      if (!isAlias(node)) {
        if (node.anchor) anchors.set(node.anchor, node);
        return undefined;
      }
      const target = anchors.get(node.source);
      const at = node.range?.[0] ?? -1;
      const pos: [number, number] = [at, node.range?.[1] ?? at];
      if (!target) problem = { message: `alias *${node.source} names no anchor set before it`, pos };
      else if (target.range && target.range[0] <= at && at < target.range[1]) {
        problem = { message: `alias *${node.source} is inside what its anchor names`, pos };
      }
      return problem ? visit.BREAK : undefined;
    },
  });
  return problem;
}

/** An error's message with its place, as YAML's prettyErrors writes it: line, column, and the line (80 characters of it) with a pointer. */
function located(error: Problem, yaml: string, lines: LineCounter): string {
  if (error.pos[0] === -1) return error.message;
  const { line, col } = lines.linePos(error.pos[0]);
  const end = lines.linePos(error.pos[1]);
  let text = yaml.slice(lines.lineStarts[line - 1], lines.lineStarts[line]).replace(/[\n\r]+$/, '');
  let at = col - 1;
  if (at >= 60 && text.length > 80) {
    const cut = Math.min(at - 39, text.length - 79);
    text = `…${text.slice(cut)}`;
    at -= cut - 1;
  }
  if (text.length > 80) text = `${text.slice(0, 79)}…`;
  const place = `${error.message} at line ${line}, column ${col}`;
  if (!/[^ ]/.test(text)) return place;
  const width = end.line === line && end.col > col ? Math.max(1, Math.min(end.col - col, 80 - at)) : 1;
  return `${place}:\n\n${text}\n${' '.repeat(at)}${'^'.repeat(width)}\n`;
}

const ALIASES = `uses aliases more than ${FRONT_MATTER_LIMITS.aliases} times`;

/** The limit the YAML text goes past, as a problem message; undefined within all of them. */
function limitPassed(yaml: string): string | undefined {
  const { characters, depth, keys, aliases } = FRONT_MATTER_LIMITS;
  if (yaml.length > characters) return `must be at most ${characters} characters`;
  const shape = shapeOf(yaml);
  if (shape.depth > depth) return `nests mappings and lists more than ${depth} levels deep`;
  if (shape.keys > keys) return `holds more than ${keys} keys`;
  if (shape.aliases > aliases) return ALIASES;
  return undefined;
}

/**
 * How deep the YAML nests, how many keys and aliases it writes, read from its concrete syntax
 * tree (which YAML's parser builds without recursion) with a stack rather than by recursion.
 */
function shapeOf(yaml: string): { depth: number; keys: number; aliases: number } {
  const shape = { depth: 0, keys: 0, aliases: 0 };
  const stack: Array<[CST.Token, number]> = [...new Parser().parse(yaml)].map((token) => [token, 0]);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (token.type === 'document' && token.value) stack.push([token.value, depth]);
    if (token.type === 'alias') shape.aliases++;
    if (!CST.isCollection(token)) continue;
    shape.depth = Math.max(shape.depth, depth + 1);
    shape.keys += keysOf(token);
    for (const { key, value } of token.items) {
      if (key) stack.push([key, depth + 1]);
      if (value) stack.push([value, depth + 1]);
    }
  }
  return shape;
}

/** The keys a collection writes: every item of a mapping, and the `key: value` items of a flow sequence. */
function keysOf(collection: CST.BlockMap | CST.BlockSequence | CST.FlowCollection): number {
  const flowMap = collection.type === 'flow-collection' && collection.start.source === '{';
  return collection.items.filter((item) => item.key !== undefined || item.sep !== undefined || (flowMap && item.value !== undefined)).length;
}

function malformed(source: string | undefined, message: string, cause?: unknown): PressrunError {
  return new PressrunError('malformed', `${prefix(source)}front matter ${message}`, [{ field: 'front-matter', message }], { cause });
}

function pastLimit(source: string | undefined, message: string, cause?: unknown): PressrunError {
  return new PressrunError('invalid', `${prefix(source)}front matter ${message}`, [{ field: 'front-matter', message }], { cause });
}

function prefix(source: string | undefined): string {
  return source ? `${source}: ` : '';
}
