/** Bearer-token auth for the write routes. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { PressrunError } from '../core/errors.js';

/**
 * Compares two secrets in constant time. Both sides are hashed first so the comparison
 * always runs over 32 bytes: neither the length of the token nor the position of the
 * first differing character shows in the timing.
 */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The API token, or how to read it when first needed (the Lambda functions read it from Secrets Manager). */
export type ApiToken = string | (() => Promise<string>);

/** A deployment without a token serves no write route: never an open door. */
const emptyToken = () => new PressrunError('unavailable', 'The API token is empty: set one before serving write routes');

/** Lets a request through only when it carries `Authorization: Bearer <expected>`. */
export function requireBearer(token: ApiToken): MiddlewareHandler {
  if (token === '') throw emptyToken();
  const expectedToken = async () => {
    const expected = typeof token === 'string' ? token : await token();
    if (expected === '') throw emptyToken();
    return expected;
  };
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined) {
      throw new PressrunError('unauthorized', 'This route needs a bearer token', [
        { field: 'authorization', message: 'send "Authorization: Bearer <token>"' },
      ]);
    }
    const given = bearer.exec(header)?.[1];
    if (given === undefined || !tokensMatch(given, await expectedToken())) {
      throw new PressrunError('unauthorized', 'The bearer token was refused', [
        { field: 'authorization', message: 'is not a valid bearer token' },
      ]);
    }
    await next();
  };
}
