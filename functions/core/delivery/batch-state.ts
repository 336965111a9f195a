/** A batch's state counted from its recipients and results: what the ledger keeps counted as it writes them. */
import type { BatchState, RecipientStatus, SendBatch } from './ports.js';

export const FINAL_STATUSES: readonly RecipientStatus[] = ['sent', 'failed', 'suppressed', 'unknown'];

export function emptyTally(): Record<RecipientStatus, number> {
  return { sent: 0, failed: 0, suppressed: 0, unknown: 0 };
}

/** How many of `results` are final, by status (`attempting` is not). */
export function tallyOf(results: Iterable<{ status: string }>): Record<RecipientStatus, number> {
  const tally = emptyTally();
  for (const { status } of results) if (status in tally) tally[status as RecipientStatus]++;
  return tally;
}

export function stateOf(batch: SendBatch): BatchState {
  const state: BatchState = {
    batch: batch.batch,
    status: batch.status,
    size: batch.recipients.length,
    tally: tallyOf(batch.recipients.flatMap((r) => batch.results[r.id] ?? [])),
  };
  if (batch.leaseUntil !== undefined) state.leaseUntil = batch.leaseUntil;
  return state;
}
