/**
 * Request validation with the zod/mini schemas of a route: a failure throws the problem
 * onError answers. A path parameter that cannot be a name is a malformed URL (400); a query
 * or body that breaks the schema is understood but invalid (422).
 */
import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { PressrunError } from '../core/errors.js';
import { problemsFromZod } from './problem.js';

export type Target = 'param' | 'query' | 'json';

export function validate<S extends z.ZodMiniType>(schema: S, value: unknown, target: Target): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = problemsFromZod(result.error, target);
  if (target === 'param') throw new PressrunError('malformed', 'The URL has a malformed path parameter', problems);
  throw new PressrunError('invalid', `The request ${target} breaks the schema`, problems);
}

export const validParams = <S extends z.ZodMiniType>(c: Context, schema: S): z.infer<S> => validate(schema, c.req.param(), 'param');

/** A query key given once is a string, given more often a list (which a scalar field refuses). */
export function validQuery<S extends z.ZodMiniType>(c: Context, schema: S): z.infer<S> {
  const query = Object.fromEntries(Object.entries(c.req.queries()).map(([key, values]) => [key, values.length === 1 ? values[0] : values]));
  return validate(schema, query, 'query');
}

const unsupportedMediaType = () =>
  new PressrunError('unsupported-media-type', 'Unsupported Media Type', [{ field: 'content-type', message: 'Unsupported Media Type' }]);

const mediaTypeOf = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * A JSON body: another Content-Type (or a body without one) is 415, unreadable JSON 400, and
 * JSON that breaks the schema 422. An `optional` body may be empty, with or without a
 * Content-Type (curl -X POST -H 'Content-Type: application/json' sends one): it reads as {}.
 */
export async function validJson<S extends z.ZodMiniType>(c: Context, schema: S, options: { optional?: boolean } = {}): Promise<z.infer<S>> {
  const contentType = c.req.header('content-type');
  const text = await c.req.text();
  if (contentType === undefined || (options.optional && text.trim() === '')) {
    if (text !== '' && contentType === undefined) throw unsupportedMediaType();
    return validate(schema, {}, 'json');
  }
  if (mediaTypeOf(contentType) !== 'application/json') throw unsupportedMediaType();
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new PressrunError('malformed', 'Malformed JSON in request body', [{ field: 'body', message: 'Malformed JSON in request body' }]);
  }
  return validate(schema, value, 'json');
}
