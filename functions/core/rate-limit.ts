/** Fixed-window limits on public routes, and the error that says when to come back. */
import { PressrunError, type FieldProblem } from './errors.js';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/**
 * Subscribing sends mail to an address the requester may not own: a few requests an hour
 * per address keep anyone from mail-bombing a stranger; per client, enough for a shared
 * office network, too few for a script.
 */
export const SUBSCRIBE_LIMITS = {
  perAddress: { limit: 3, windowSeconds: 3600 },
  perClient: { limit: 20, windowSeconds: 3600 },
} as const satisfies Record<string, RateRule>;

/** A 429: `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitedError extends PressrunError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    problems: FieldProblem[] = [],
  ) {
    super('rate-limited', message, problems);
    this.name = 'RateLimitedError';
  }
}

export interface RateLimiter {
  /**
   * Counts one hit on `key` in the fixed window of `windowSeconds` that holds `now`; not
   * allowed once more than `limit` hits fell in that window.
   */
  hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}
