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
