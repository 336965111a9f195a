/**
 * What every MailClaims does (functions/core/delivery/ports.ts), run against DynamoMailClaims on
 * dynalite and against the in-memory fake by tests/adapters/mail-claims.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { MailClaims } from '../../../functions/core/delivery/ports.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');

/** @param freshClaims claims with nothing claimed yet, for every test. */
export function describeMailClaimsContract(name: string, freshClaims: () => Promise<MailClaims>): void {
  describe(`${name} as MailClaims`, () => {
    it('lets exactly one of many concurrent callers claim a mail', async () => {
      const claims = await freshClaims();
      const taken = await Promise.all(Array.from({ length: 8 }, () => claims.claim('concurrent', NOW)));
      expect(taken.filter(Boolean)).toHaveLength(1);
    });

    it('lets a mail be claimed again once released', async () => {
      const claims = await freshClaims();
      expect(await claims.claim('released', NOW)).toBe(true);
      await claims.release('released');
      expect(await claims.claim('released', NOW)).toBe(true);
      expect(await claims.claim('released', NOW)).toBe(false);
    });
  });
}
