/**
 * What every RateLimiter does (functions/core/rate-limit.ts), run against DynamoRateLimiter on
 * dynalite and against the in-memory fake by tests/adapters/rate-limiter.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../../functions/core/rate-limit.js';

const at = (iso: string) => new Date(iso);

/** @param freshLimiter a limiter with no hits counted yet, for every test. */
export function describeRateLimiterContract(name: string, freshLimiter: () => Promise<RateLimiter>): void {
  describe(`${name} as a RateLimiter`, () => {
    it('allows `limit` hits in a window, then refuses until the window ends', async () => {
      const limiter = await freshLimiter();
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await limiter.hit('client:203.0.113.7', 3, 3600, at('2025-06-01T12:10:00Z')));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
      expect(results[3]!.retryAfterSeconds).toBe(50 * 60);
      expect((await limiter.hit('client:203.0.113.7', 3, 3600, at('2025-06-01T13:00:00Z'))).allowed).toBe(true);
    });

    it('counts each key on its own', async () => {
      const limiter = await freshLimiter();
      await limiter.hit('address:a', 1, 60, at('2025-06-01T12:00:00Z'));
      expect((await limiter.hit('address:a', 1, 60, at('2025-06-01T12:00:01Z'))).allowed).toBe(false);
      expect((await limiter.hit('address:b', 1, 60, at('2025-06-01T12:00:01Z'))).allowed).toBe(true);
    });

    it('counts hits from many callers at once without losing any', async () => {
      const limiter = await freshLimiter();
      const hits = await Promise.all(Array.from({ length: 30 }, () => limiter.hit('burst', 10, 60, at('2025-06-01T12:00:00Z'))));
      expect(hits.filter((h) => h.allowed)).toHaveLength(10);
    });
  });
}
