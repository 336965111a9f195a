/** Small bodies of the public routes: the site's HTML forms, RFC 8058 one-click POSTs, and JSON. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PressrunError } from '../core/errors.js';

/** An address and a token fit in a few hundred bytes; nothing public needs more than this. */
export const MAX_FORM_BYTES = 8 * 1024;

export const limitFormBody: MiddlewareHandler = bodyLimit({
  maxSize: MAX_FORM_BYTES,
  onError: () => {
    throw new PressrunError('too-large', `The request body is larger than ${MAX_FORM_BYTES} bytes`, [
      { field: 'body', message: `must be at most ${MAX_FORM_BYTES} bytes` },
    ]);
  },
});

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * The body's fields: form-encoded (what browsers and mail providers send) or a JSON object; none
 * for an empty body. A form field sent more than once counts by its last value, except the
 * fields named in `repeated` (a group of checkboxes), which come as the array of their values.
 */
export async function readFields(
  c: Context,
  repeated: readonly string[] = [],
): Promise<{ fields: Record<string, unknown>; kind: 'form' | 'json' | 'none' }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (FORM_TYPES.has(type)) return { fields: await formFields(c, repeated), kind: 'form' };
  if (type === 'application/json') {
    const text = await c.req.text();
    let value: unknown;
    try {
      value = text.trim() === '' ? {} : JSON.parse(text);
    } catch (error) {
      throw new PressrunError('malformed', 'The request body is not valid JSON', [{ field: 'body', message: (error as Error).message }], {
        cause: error,
      });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PressrunError('invalid', 'The request body must be a JSON object', [{ field: 'body', message: 'must be an object' }]);
    }
    return { fields: value as Record<string, unknown>, kind: 'json' };
  }
  if (type === '' && (await c.req.text()) === '') return { fields: {}, kind: 'none' };
  throw new PressrunError(
    'unsupported-media-type',
    `Send a form (application/x-www-form-urlencoded) or JSON, not ${type || 'a body without a Content-Type'}`,
    [{ field: 'content-type', message: 'must be application/x-www-form-urlencoded, multipart/form-data or application/json' }],
  );
}

/** A form's text fields (files are dropped): the last value of each, or every value of those `repeated`. */
async function formFields(c: Context, repeated: readonly string[]): Promise<Record<string, unknown>> {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const strings = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (repeated.includes(name)) fields[name] = strings;
    else if (strings.length > 0) fields[name] = strings.at(-1);
  }
  return fields;
}

/** A browser asks for a page; API clients and mail providers get JSON. */
export function wantsPage(c: Context): boolean {
  return /\btext\/html\b/i.test(c.req.header('accept') ?? '');
}
