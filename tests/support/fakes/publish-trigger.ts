/** Starts no publish: records the runs it was asked to start; `failWith` makes it fail as an unreachable starter would. */
import type { PublishTrigger } from '../../../functions/core/publish/ports.js';

export class RecordingTrigger implements PublishTrigger {
  readonly started: string[] = [];
  failWith: Error | undefined;

  async trigger(runId: string): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.started.push(runId);
  }
}
