import { describe, expect, it } from 'vitest';
import { executePublishRun } from '../../../functions/core/publish/execute-run.js';
import type { PublishRun } from '../../../functions/core/publish/ports.js';
import { reconcileRuns } from '../../../functions/core/publish/reconcile-runs.js';
import { InMemoryPublishRunStore } from '../../support/fakes/publish-run-store.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

async function runsLeftBehind() {
  const runs = new InMemoryPublishRunStore();
  await runs.create({ id: 'queued-long-ago', status: 'queued', requestedAt: ago(5 * 60_000) });
  await runs.create({ id: 'queued-just-now', status: 'queued', requestedAt: ago(10_000) });
  await runs.create({ id: 'running-too-long', status: 'queued', requestedAt: ago(30 * 60_000) });
  await runs.update({ id: 'running-too-long', status: 'running', requestedAt: ago(30 * 60_000), startedAt: ago(29 * 60_000) });
  await runs.create({ id: 'running-now', status: 'queued', requestedAt: ago(60_000) });
  await runs.update({ id: 'running-now', status: 'running', requestedAt: ago(60_000), startedAt: ago(30_000) });
  return runs;
}

describe('reconcileRuns', () => {
  it('starts again the runs queued longer than a while, and fails those running longer than a publish can take', async () => {
    const runs = await runsLeftBehind();
    const started: string[] = [];

    const done = await reconcileRuns(
      { runs, start: async (id) => void started.push(id), now: () => NOW },
      { queuedForMs: 60_000, runningForMs: 11 * 60_000 },
    );

    expect(done).toEqual({ restarted: ['queued-long-ago'], failed: ['running-too-long'] });
    expect(started).toEqual(['queued-long-ago']);
    expect(await runs.get('running-too-long')).toMatchObject({
      status: 'failed',
      finishedAt: NOW.toISOString(),
      error: expect.stringMatching(/stopped/),
    });
    expect((await runs.get('running-now'))?.status).toBe('running');
  });

  it('ends every unfinished run when nothing else can be running them (a local server holding its data folder)', async () => {
    const runs = await runsLeftBehind();
    const done = await reconcileRuns({ runs, start: async () => {}, now: () => NOW }, { queuedForMs: 0, runningForMs: 0 });
    expect(done.restarted.sort()).toEqual(['queued-just-now', 'queued-long-ago']);
    expect(done.failed.sort()).toEqual(['running-now', 'running-too-long']);
  });
});

describe('executePublishRun', () => {
  it('records how far the writes came while it runs, and drops it once the run succeeded', async () => {
    const runs = new InMemoryPublishRunStore();
    await runs.create({ id: 'r', status: 'queued', requestedAt: ago(1000), redrivenAt: ago(500) });
    const seen: Array<PublishRun | undefined> = [];
    const report = await executePublishRun('r', {
      runs,
      now: () => NOW,
      publish: async (_run, progress) => {
        await progress({ written: 10, planned: 30 });
        seen.push(await runs.get('r'));
        await progress({ written: 30, planned: 30 });
        return { full: false, written: [], unchanged: 0, deleted: [], durationMs: 1 };
      },
    });
    expect(report).toBeDefined();
    expect(seen[0]).toMatchObject({ status: 'running', progress: { written: 10, planned: 30, at: NOW.toISOString() } });
    expect(seen[0]).not.toHaveProperty('redrivenAt');
    const done = await runs.get('r');
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(done).not.toHaveProperty('progress');
  });

  it('keeps the last progress of a run that failed, beside its error', async () => {
    const runs = new InMemoryPublishRunStore();
    await runs.create({ id: 'r', status: 'queued', requestedAt: ago(1000) });
    await expect(
      executePublishRun('r', {
        runs,
        now: () => NOW,
        publish: async (_run, progress) => {
          await progress({ written: 5, planned: 30 });
          throw new Error('S3 went away');
        },
      }),
    ).rejects.toThrow(/S3 went away/);
    expect(await runs.get('r')).toMatchObject({ status: 'failed', error: 'S3 went away', progress: { written: 5, planned: 30 } });
  });
});
