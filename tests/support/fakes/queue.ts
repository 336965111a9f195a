/** A send queue that only remembers what it was given; the test decides when batches run. */
import type { Queue, SendBatchRef } from '../../../functions/core/delivery/ports.js';

export class RecordingQueue implements Queue {
  readonly refs: SendBatchRef[] = [];

  async enqueue(batches: SendBatchRef[]): Promise<void> {
    this.refs.push(...batches.map((ref) => ({ ...ref })));
  }

  /** Removes and returns what was enqueued so far. */
  take(): SendBatchRef[] {
    return this.refs.splice(0);
  }
}
