import { parse, YAMLError } from 'yaml';
import { PressrunError } from '../errors.js';

export interface FrontMatterSplit {
  /** The YAML mapping; undefined when the text has no front matter block. */
  data: Record<string, unknown> | undefined;
  /** The rest of the text, with LF line endings. */
  body: string;
}

const OPENING = /^---[ \t]*\n/;
const BLOCK = /^---[ \t]*\n(?:([\s\S]*?)\n)?---[ \t]*(?:\n|$)/;

/**
 * Splits a leading `---` … `---` YAML block from the text. A byte-order mark and CRLF line
 * endings (as editors on Windows save them) are accepted. YAML is read with the YAML 1.2 core
 * schema, so `date: 2025-04-22` stays the string the author wrote rather than a local-time Date.
 *
 * `source` (a file name) prefixes error messages.
 */
export function splitFrontMatter(text: string, source?: string): FrontMatterSplit {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!OPENING.test(normalized)) return { data: undefined, body: normalized };

  const match = BLOCK.exec(normalized);
  if (!match) throw malformed(source, 'starts with --- but has no closing --- line');

  let data: unknown;
  try {
    data = parse(match[1] ?? '', { schema: 'core', prettyErrors: true });
  } catch (err) {
    if (err instanceof YAMLError) throw malformed(source, `is not valid YAML: ${err.message}`, err);
    throw err;
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw malformed(source, 'must be a YAML mapping of field: value lines');
  }
  return { data: data as Record<string, unknown>, body: normalized.slice(match[0].length) };
}

function malformed(source: string | undefined, message: string, cause?: unknown): PressrunError {
  const prefix = source ? `${source}: ` : '';
  return new PressrunError('malformed', `${prefix}front matter ${message}`, [{ field: 'front-matter', message }], { cause });
}
