/**
 * Lambda's partial batch response (ReportBatchItemFailures), shared by the SQS and stream
 * event loops: only the records listed come again. A record whose handling throws comes
 * again too; the error goes to the log, never to the next record.
 */
import { mapWithConcurrency } from '../core/concurrency.js';
export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export interface BatchOptions<R> {
  /** The identifier Lambda knows the record by: an SQS message id, a stream sequence number. */
  idOf(record: R): string;
  /** How a failure is told in the log. */
  nameOf?(record: R): string;
  /**
   * A stream resumes from the first record listed, so the records after it would run twice:
   * stop there. SQS redelivers each listed message alone, so go on.
   */
  stopAtFirstFailure?: boolean;
  /** Records handled at once (SQS only: a stream's records go one after another). Default 1. */
  concurrency?: number;
  log?: (line: string, detail?: unknown) => void;
}

export async function partialBatch<R>(
  records: readonly R[],
  options: BatchOptions<R>,
  handle: (record: R) => Promise<'done' | 'again'>,
): Promise<BatchResponse> {
  const log = options.log ?? console.log;
  const settle = async (record: R): Promise<'done' | 'again'> => {
    try {
      return await handle(record);
    } catch (error) {
      log(`${options.nameOf?.(record) ?? options.idOf(record)} failed`, error);
      return 'again';
    }
  };
  const failed = (record: R) => ({ itemIdentifier: options.idOf(record) });
  if (options.stopAtFirstFailure) {
    for (const record of records) if ((await settle(record)) === 'again') return { batchItemFailures: [failed(record)] };
    return { batchItemFailures: [] };
  }
  const outcomes = await mapWithConcurrency(records, options.concurrency ?? 1, settle);
  return { batchItemFailures: records.filter((_, i) => outcomes[i] === 'again').map(failed) };
}
