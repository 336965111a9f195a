/** Fixed-window counters in memory, held to DynamoRateLimiter by tests/support/contracts/rate-limiter.contract.ts. */
import type { RateLimiter } from '../../../functions/core/rate-limit.js';

export class InMemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number>();

  async hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const windowEnd = windowStart + windowSeconds;
    const window = `${key}\u0000${windowStart}`;
    const hits = (this.hits.get(window) ?? 0) + 1;
    this.hits.set(window, hits);
    return { allowed: hits <= limit, retryAfterSeconds: hits <= limit ? 0 : Math.max(1, windowEnd - nowSeconds) };
  }
}
