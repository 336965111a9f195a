/** Cutting a digest's recipients into the ledger's batches. */
import type { SendRecipient } from './ports.js';

/** SES takes at most 50 destinations a call; a batch is also a unit of work a worker finishes in seconds. */
export const BATCH_SIZE = 50;

/** Consecutive batches numbered from `first`, each of at most `size` recipients, in the given order. */
export function planBatches(
  recipients: readonly SendRecipient[],
  first: number,
  size = BATCH_SIZE,
): Array<{ batch: number; recipients: SendRecipient[] }> {
  if (!Number.isInteger(size) || size < 1 || size > BATCH_SIZE)
    throw new RangeError(`A batch holds 1 to ${BATCH_SIZE} recipients, not ${size}`);
  const batches: Array<{ batch: number; recipients: SendRecipient[] }> = [];
  for (let i = 0; i < recipients.length; i += size)
    batches.push({ batch: first + batches.length, recipients: recipients.slice(i, i + size) });
  return batches;
}
