/**
 * A send's readers, cut by id into segments that workers plan in parallel, each resumable on
 * its own (plan-segments.ts). Subscriber ids are the base64url of a hash (subscribers/email.ts),
 * spread evenly over its 64 characters, so cutting at first characters gives segments of about
 * the same size, and each is one range of the index DynamoDB already keeps them in: a query of
 * its own, with no scan of the table.
 */
import type { ConfirmedRange } from '../subscribers/ports.js';

/** The base64url alphabet in the byte order DynamoDB sorts keys in. */
const ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** How many segments a send is planned in where workers plan it (the cloud): a power of two up to 64. */
export const PLAN_SEGMENTS = 16;

/**
 * Batches a segment may number: segment k numbers its batches from k × this + 1, so segments
 * never take one another's numbers (2.5 million readers a segment; the ledger's keys hold six digits).
 */
export const SEGMENT_BATCHES = 50_000;

/** The ids a segment holds: from `from` (inclusive) to before `before`; the first and last segments are open-ended. */
export type ReaderRange = Pick<ConfirmedRange, 'from' | 'before'>;

export function checkSegments(total: number): number {
  if (!Number.isInteger(total) || total < 1 || total > ALPHABET.length || ALPHABET.length % total !== 0)
    throw new RangeError(`A send is planned in 1, 2, 4, 8, 16, 32 or 64 segments, not ${total}`);
  if (total * SEGMENT_BATCHES > 999_999) throw new RangeError(`${total} segments would number batches past the ledger's six digits`);
  return total;
}

/** The ids of segment `k` of `total`: every id falls in exactly one (the first starts at nothing, the last ends at nothing). */
export function segmentRange(k: number, total: number): ReaderRange {
  const width = ALPHABET.length / checkSegments(total);
  return {
    ...(k > 0 ? { from: ALPHABET[k * width] } : {}),
    ...(k < total - 1 ? { before: ALPHABET[(k + 1) * width] } : {}),
  };
}

/** The batch numbers segment `k` may use. */
export function segmentBatches(k: number): { first: number; last: number } {
  return { first: k * SEGMENT_BATCHES + 1, last: (k + 1) * SEGMENT_BATCHES };
}
