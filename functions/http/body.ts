/** Reading request bodies: the size limit, the accepted media types, and JSON parsing. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { articleFileFromBytes, notUtf8Problem } from '../core/content/article-file.js';
import { PressrunError } from '../core/errors.js';

/** Articles are small; Lambda would take 6 MB, we take 1 MB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Counts the bytes even when no Content-Length was sent, so a streamed body cannot slip past. */
export const limitBody: MiddlewareHandler = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new PressrunError('too-large', `The request body is larger than ${MAX_BODY_BYTES} bytes`, [
      { field: 'body', message: `must be at most ${MAX_BODY_BYTES} bytes` },
    ]);
  },
});

/**
 * JSON nested deeper is refused. An article is three levels deep (authors, an author, its name);
 * JSON.parse reads any depth, but code that walks a value recursively (the core's field cleaning,
 * validation, a logger) overflowed the stack at 10,000.
 */
export const MAX_JSON_NESTING = 32;

export type ArticleBody = { kind: 'json'; value: unknown } | { kind: 'markdown'; text: string };

const accepted = { 'application/json': 'json', 'text/markdown': 'markdown' } as const;

/** An article body as sent: JSON (any value; the core validates it) or Markdown text. */
export async function readArticleBody(c: Context): Promise<ArticleBody> {
  const contentType = c.req.header('content-type');
  const [essence = '', ...params] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  const kind = Object.hasOwn(accepted, essence) ? accepted[essence as keyof typeof accepted] : undefined;
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (kind === undefined || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new PressrunError(
      'unsupported-media-type',
      `Send the article as application/json or text/markdown (UTF-8), not ${contentType ?? 'without a Content-Type'}`,
      [{ field: 'content-type', message: 'must be application/json or text/markdown, in UTF-8' }],
    );
  }
  const { text, notUtf8 } = articleFileFromBytes('request body', new Uint8Array(await c.req.arrayBuffer()));
  if (notUtf8) {
    const problem = notUtf8Problem(notUtf8);
    throw new PressrunError('malformed', `The request body ${problem}`, [{ field: 'body', message: `${problem}: send it as UTF-8` }]);
  }
  if (kind === 'markdown') return { kind, text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PressrunError('malformed', 'The request body is not valid JSON', [{ field: 'body', message: (error as Error).message }], {
      cause: error,
    });
  }
  if (nestedDeeperThan(value, MAX_JSON_NESTING)) {
    const message = `nests arrays and objects more than ${MAX_JSON_NESTING} levels deep`;
    throw new PressrunError('invalid', `The request body ${message}`, [{ field: 'body', message }]);
  }
  return { kind, value };
}

/** Whether arrays and objects in `value` go more than `limit` levels deep (the value itself is level 1), found without recursion. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
