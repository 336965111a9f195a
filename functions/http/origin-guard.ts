/**
 * CloudFront is the only way in. The distribution sends every /api request to the HTTP API
 * with a header holding a secret (cdk/constructs/site-distribution.ts). A request without it
 * came straight to the execute-api endpoint, where a caller could write its own viewer-address
 * header and dodge the per-client limits: it gets a 403 before any route runs.
 *
 * The secret's current and previous versions are both accepted, so rotating it does not lock
 * CloudFront out until the distribution is redeployed with the new value. A value matching
 * neither makes the guard read the secret again (at most once a minute), so an execution
 * environment started before a rotation learns the new value without a restart, and a
 * caller guessing values cannot make it read the secret on every request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { PressrunError } from '../core/errors.js';

export const ORIGIN_HEADER = 'x-pressrun-origin-verify';

export interface OriginGuardOptions {
  /** A version of the origin secret, read now; AWSPREVIOUS is undefined before a first rotation. */
  read: (stage: 'AWSCURRENT' | 'AWSPREVIOUS') => Promise<string | undefined>;
  now?: () => number;
  /** How long a value that matched nothing waits before the secret is read again. @default 60 s */
  rereadAfterMs?: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares digests of equal length, so the time taken says nothing about how much of a guess was right. */
function matchesAny(candidate: string, accepted: readonly Buffer[]): boolean {
  const given = digest(candidate);
  let found = false;
  for (const value of accepted) found = timingSafeEqual(given, value) || found;
  return found;
}

const unreadable = (error: unknown) =>
  new PressrunError('unavailable', 'The API cannot check where this request came from right now', [], { cause: error });

/**
 * The first request reads only the current version (one read on a cold start); the previous
 * one is read with it again only when a value matches nothing known.
 */
export function requireOrigin({ read, now = Date.now, rereadAfterMs = 60_000 }: OriginGuardOptions): MiddlewareHandler {
  let known: Promise<Buffer[]> | undefined;
  let readAt = -Infinity;
  let withPrevious = false;
  const load = (stages: Array<'AWSCURRENT' | 'AWSPREVIOUS'>) => {
    readAt = now();
    withPrevious = stages.length > 1;
    known = Promise.all(stages.map(read)).then(
      (values) => values.filter((v): v is string => typeof v === 'string' && v !== '').map(digest),
      (error: unknown) => {
        known = undefined;
        throw unreadable(error);
      },
    );
    return known;
  };
  return async (c, next) => {
    const given = c.req.header(ORIGIN_HEADER) ?? '';
    let accepted = await (known ?? load(['AWSCURRENT']));
    const mayReread = !withPrevious || now() - readAt >= rereadAfterMs;
    if (given !== '' && !matchesAny(given, accepted) && mayReread) accepted = await load(['AWSCURRENT', 'AWSPREVIOUS']);
    if (given === '' || !matchesAny(given, accepted)) {
      throw new PressrunError('forbidden', 'This API answers only requests that come through the site’s CloudFront distribution');
    }
    await next();
  };
}
