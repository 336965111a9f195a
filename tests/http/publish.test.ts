import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishRun } from '../../functions/core/publish/ports.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { auth, buildApi, NOW, readJson, type ProblemJson } from './harness.js';

let aws: LocalAws;

beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

describe('POST /api/publish', () => {
  it('queues a run, starts it, and points to where it can be watched', async () => {
    const { app, trigger } = buildApi(aws);
    const response = await app.request('/api/publish', { method: 'POST', headers: auth });
    expect(response.status).toBe(202);
    const accepted = await readJson<{ runId: string; status: string }>(response);
    expect(accepted.status).toBe('queued');
    expect(response.headers.get('location')).toBe(`/api/publish-runs/${accepted.runId}`);
    expect(trigger.started).toEqual([accepted.runId]);

    const watched = await app.request(`/api/publish-runs/${accepted.runId}`);
    expect(watched.status).toBe(200);
    expect(await readJson<PublishRun>(watched)).toEqual({ id: accepted.runId, status: 'queued', requestedAt: NOW.toISOString() });
  });

  it('records a full run when asked for one, and takes an empty JSON body as a plain publish', async () => {
    const { app } = buildApi(aws);
    const json = { ...auth, 'Content-Type': 'application/json' };
    const full = await readJson<{ runId: string }>(
      await app.request('/api/publish', { method: 'POST', headers: json, body: '{"full":true}' }),
    );
    expect(await readJson<PublishRun>(await app.request(`/api/publish-runs/${full.runId}`))).toMatchObject({
      full: true,
      status: 'queued',
    });
    const plain = await app.request('/api/publish', { method: 'POST', headers: json });
    expect(plain.status).toBe(202);
    const { runId } = await readJson<{ runId: string }>(plain);
    expect(await readJson<PublishRun>(await app.request(`/api/publish-runs/${runId}`))).not.toHaveProperty('full');
    const wrong = await app.request('/api/publish', { method: 'POST', headers: json, body: '{"full":"yes"}' });
    expect(wrong.status).toBe(422);
    expect((await readJson<ProblemJson>(wrong)).errors.map((e) => e.field)).toEqual(['full']);
  });

  it('shows a finished run with its report', async () => {
    const { app, deps } = buildApi(aws);
    const { runId } = await readJson<{ runId: string }>(await app.request('/api/publish', { method: 'POST', headers: auth }));
    const finished: PublishRun = {
      id: runId,
      status: 'succeeded',
      requestedAt: NOW.toISOString(),
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      report: { full: true, written: ['index.html', 'feed.xml'], unchanged: 0, deleted: [], durationMs: 42 },
    };
    await deps.runs.update(finished);
    expect(await readJson<PublishRun>(await app.request(`/api/publish-runs/${runId}`))).toEqual(finished);
  });

  it('marks the run failed and answers 503 when the run cannot be started', async () => {
    const { app, trigger, deps } = buildApi(aws, { newId: () => 'run-that-cannot-start' });
    trigger.failWith = new Error('Lambda invoke throttled');
    const response = await app.request('/api/publish', { method: 'POST', headers: auth });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = await readJson<ProblemJson>(response);
    expect(problem.detail).not.toContain('throttled');
    expect(await deps.runs.get('run-that-cannot-start')).toMatchObject({
      status: 'failed',
      error: 'could not start: Lambda invoke throttled',
    });
  });
});

describe('POST /api/publish ends the runs left behind', () => {
  let own: LocalAws;
  beforeAll(async () => {
    own = await startLocalAws();
  });
  afterAll(() => own.close());

  it('writes anew a run queued over a minute ago that nothing started, so the table’s stream delivers it again', async () => {
    const { app, deps, trigger } = buildApi(own);
    const stuck: PublishRun = { id: 'stuck-run', status: 'queued', requestedAt: new Date(NOW.getTime() - 5 * 60_000).toISOString() };
    const fresh: PublishRun = { id: 'fresh-run', status: 'queued', requestedAt: new Date(NOW.getTime() - 30_000).toISOString() };
    await deps.runs.create(stuck);
    await deps.runs.create(fresh);

    const response = await app.request('/api/publish', { method: 'POST', headers: auth });
    expect(response.status).toBe(202);
    const { runId } = await readJson<{ runId: string }>(response);

    expect(await deps.runs.get('stuck-run')).toEqual({ ...stuck, redrivenAt: NOW.toISOString() });
    expect(await deps.runs.get('fresh-run')).toEqual(fresh);
    expect(trigger.started).toEqual([runId, 'stuck-run']);
  });

  it('marks failed a run still running past the publish function’s timeout, saying how far it came', async () => {
    const { app, deps } = buildApi(own);
    const requestedAt = new Date(NOW.getTime() - 60 * 60_000).toISOString();
    const startedAt = new Date(NOW.getTime() - 59 * 60_000).toISOString();
    await deps.runs.create({ id: 'timed-out', status: 'queued', requestedAt });
    await deps.runs.update({
      id: 'timed-out',
      status: 'running',
      requestedAt,
      startedAt,
      progress: { written: 1200, planned: 12050, at: startedAt },
    });
    const recent = new Date(NOW.getTime() - 60_000).toISOString();
    await deps.runs.create({ id: 'still-going', status: 'queued', requestedAt: recent });
    await deps.runs.update({ id: 'still-going', status: 'running', requestedAt: recent, startedAt: recent });

    expect((await app.request('/api/publish', { method: 'POST', headers: auth })).status).toBe(202);

    const ended = await deps.runs.get('timed-out');
    expect(ended).toMatchObject({ status: 'failed', finishedAt: NOW.toISOString() });
    expect(ended?.error).toMatch(/after writing 1200 of 12050 objects/);
    expect(await deps.runs.get('still-going')).toMatchObject({ status: 'running' });
  });
});
