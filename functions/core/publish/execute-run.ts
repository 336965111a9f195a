/** Carries a queued publish run through running to succeeded or failed, recording its report. */
import type { PublishReport, PublishRun, PublishRunStore } from './ports.js';

type Progress = { written: number; planned: number };

export async function executePublishRun(
  runId: string,
  deps: {
    runs: PublishRunStore;
    /**
     * Runs the publish; `progress` records how far its writes came, so a run that stops says so.
     * A publish fanned out over chunks (fan-out.ts) calls `fanningOut` first and ends the run itself.
     */
    publish: (
      run: PublishRun,
      progress: (done: Progress) => Promise<void>,
      fanningOut: () => Promise<void>,
    ) => Promise<PublishReport | 'fanned-out'>;
    now: () => Date;
    /**
     * Another run that still holds the site (a fanned-out publish whose chunks are under way), if
     * any: publishes never overlap, so this one stays queued, and the other's finish writes it
     * anew for the table's stream to deliver again.
     */
    heldBy?: (runId: string) => Promise<string | undefined>;
  },
): Promise<PublishReport | undefined> {
  const run = await deps.runs.get(runId);
  if (!run || run.status !== 'queued') return undefined;
  if (await deps.heldBy?.(runId)) return undefined;
  const { redrivenAt: _, ...asked } = run;
  let running: PublishRun = { ...asked, status: 'running', startedAt: deps.now().toISOString() };
  await deps.runs.update(running);
  const progress = async (done: Progress) => {
    running = { ...running, progress: { ...done, at: deps.now().toISOString() } };
    await deps.runs.update(running);
  };
  try {
    const fanningOut = async () => {
      running = { ...running, fannedOutAt: deps.now().toISOString() };
      await deps.runs.update(running);
    };
    const report = await deps.publish(run, progress, fanningOut);
    if (report === 'fanned-out') return undefined;
    const { progress: _done, ...finished } = running;
    await deps.runs.update({ ...finished, status: 'succeeded', finishedAt: deps.now().toISOString(), report });
    return report;
  } catch (error) {
    await deps.runs.update({
      ...running,
      status: 'failed',
      finishedAt: deps.now().toISOString(),
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}
