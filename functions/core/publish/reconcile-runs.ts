/**
 * Runs that never end, ended. A run queued while nothing was there to start it (the table's
 * stream not yet enabled on a first deploy, a process that stopped before running it) is
 * started again; one still `running` long after a publish could have ended (its process
 * stopped, or ran out of time) is marked failed, so no one waits for it forever.
 */
import { FANNED_OUT_RUNNING_MS, type PublishRun, type PublishRunStore } from './ports.js';

export interface RunReconciliation {
  restarted: string[];
  failed: string[];
}

export async function reconcileRuns(
  deps: { runs: PublishRunStore; start: (runId: string) => Promise<void>; now: () => Date },
  /** `fannedOutForMs`: how long a fanned-out run may take (default FANNED_OUT_RUNNING_MS: its chunks' queue retries them for hours). */
  limits: { queuedForMs: number; runningForMs: number; fannedOutForMs?: number },
): Promise<RunReconciliation> {
  const done: RunReconciliation = { restarted: [], failed: [] };
  const now = deps.now();
  const olderThan = (at: string | undefined, ms: number) => at === undefined || now.getTime() - Date.parse(at) >= ms;
  for (const run of await deps.runs.unfinished()) {
    if (run.status === 'queued' && olderThan(run.redrivenAt ?? run.requestedAt, limits.queuedForMs)) {
      await deps.start(run.id);
      done.restarted.push(run.id);
    } else if (
      run.status === 'running' &&
      olderThan(run.startedAt, run.fannedOutAt ? (limits.fannedOutForMs ?? FANNED_OUT_RUNNING_MS) : limits.runningForMs)
    ) {
      await deps.runs.update(stopped(run, now));
      done.failed.push(run.id);
    }
  }
  return done;
}

function stopped(run: PublishRun, now: Date): PublishRun {
  const came = run.progress
    ? `after writing ${run.progress.written} of ${run.progress.planned} objects`
    : 'before writing anything it recorded';
  return {
    ...run,
    status: 'failed',
    finishedAt: now.toISOString(),
    error: `The publish stopped ${came} (its process ended or ran out of time); the next publish repairs what it left`,
  };
}
