/** Carries a queued publish run through running to succeeded or failed, recording its report. */
import type { PublishReport, PublishRun, PublishRunStore } from './ports.js';

export async function executePublishRun(
  runId: string,
  deps: { runs: PublishRunStore; publish: (run: PublishRun) => Promise<PublishReport>; now: () => Date },
): Promise<PublishReport | undefined> {
  const run = await deps.runs.get(runId);
  if (!run || run.status !== 'queued') return undefined;
  const running = { ...run, status: 'running' as const, startedAt: deps.now().toISOString() };
  await deps.runs.update(running);
  try {
    const report = await deps.publish(run);
    await deps.runs.update({ ...running, status: 'succeeded', finishedAt: deps.now().toISOString(), report });
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
