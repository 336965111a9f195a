/** Reading request bodies: the size limit, the accepted media types, and JSON parsing. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
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
  const text = await c.req.text();
  if (kind === 'markdown') return { kind, text };
  try {
    return { kind, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new PressrunError('malformed', 'The request body is not valid JSON', [{ field: 'body', message: (error as Error).message }], {
      cause: error,
    });
  }
}
