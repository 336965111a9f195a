/**
 * The local stand-in for invoking the publish function: runs queue up in this process and
 * execute one at a time, as the publish Lambda does with a reserved concurrency of one.
 */
import { executePublishRun } from '../core/publish/execute-run.js';
import type { PublishReport, PublishRun, PublishRunStore, PublishTrigger } from '../core/publish/ports.js';

export class InProcessPublishQueue implements PublishTrigger {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      runs: PublishRunStore;
      publish: (
        run: PublishRun,
        onProgress: (done: { written: number; planned: number }) => Promise<void>,
        fanningOut: () => Promise<void>,
      ) => Promise<PublishReport | 'fanned-out'>;
      onReport?: (runId: string, report: PublishReport) => void;
      onError?: (runId: string, error: unknown) => void;
    },
  ) {}

  async trigger(runId: string): Promise<void> {
    this.tail = this.tail.then(() => this.execute(runId));
  }

  /** Resolves when every run triggered so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  private async execute(runId: string): Promise<void> {
    try {
      const report = await executePublishRun(runId, { runs: this.deps.runs, publish: this.deps.publish, now: () => new Date() });
      if (report) this.deps.onReport?.(runId, report);
    } catch (error) {
      this.deps.onError?.(runId, error);
    }
  }
}
