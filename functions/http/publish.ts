/** /api/publish and /api/publish-runs: queue a publish, then watch it. */
import { PressrunError, notFound } from '../core/errors.js';
import { PUBLISH_TIMEOUT_MS, type PublishRun } from '../core/publish/ports.js';
import { reconcileRuns } from '../core/publish/reconcile-runs.js';
import type { ApiDeps } from './api-deps.js';
import { requireBearer } from './auth.js';
import { limitBody } from './body.js';
import { RouteTable } from './openapi.js';
import {
  PublishAcceptedSchema,
  PublishRequestSchema,
  PublishRunSchema,
  RunIdParamsSchema,
  bearerSecurity,
  problemResponses,
} from './schemas.js';
import { validJson } from './validate.js';

type PublishDeps = Pick<ApiDeps, 'apiToken' | 'runs' | 'publisher' | 'now' | 'newId' | 'runsLeftBehind'>;

const LEFT_BEHIND = { queuedForMs: 60_000, runningForMs: PUBLISH_TIMEOUT_MS + 60_000 };

const runLocation = (id: string) => `/api/publish-runs/${id}`;

export function publishRoutes(deps: PublishDeps): RouteTable {
  const table = new RouteTable();

  table.route(
    {
      method: 'post',
      path: '/publish',
      summary: 'Queue a publish run',
      description: 'Without a body, publishes what changed; with {"full": true}, rebuilds and rewrites every object.',
      security: bearerSecurity,
      body: { required: false, content: { 'application/json': { schema: PublishRequestSchema } } },
      middleware: [requireBearer(deps.apiToken), limitBody],
      responses: {
        202: {
          description: 'Queued; follow Location for its progress',
          content: { 'application/json': { schema: PublishAcceptedSchema } },
        },
        ...problemResponses(401, 413, 415, 422),
      },
    },
    async (c) => {
      const { full } = await validJson(c, PublishRequestSchema, { optional: true });
      const run: PublishRun = { id: deps.newId(), status: 'queued', requestedAt: deps.now().toISOString(), ...(full ? { full } : {}) };
      await deps.runs.create(run);
      await startRun(deps, run);
      await endRunsLeftBehind(deps);
      return c.json({ runId: run.id, status: 'queued' as const }, 202, { Location: runLocation(run.id) });
    },
  );

  table.route(
    {
      method: 'get',
      path: '/publish-runs/{id}',
      summary: 'A publish run: its status and, once finished, its report',
      params: RunIdParamsSchema,
      responses: {
        200: { description: 'The run', content: { 'application/json': { schema: PublishRunSchema } } },
        ...problemResponses(400, 404),
      },
    },
    async (c, input) => {
      const { id } = input.params;
      const run = await deps.runs.get(id);
      if (!run) throw notFound(`No publish run has the id "${id}"`);
      return c.json(run, 200);
    },
  );

  return table;
}

/**
 * Runs that never end, ended by the next request for a publish (the schedule does it too): a run
 * queued while nothing could start it (the stream trigger not yet enabled on a first deploy, a
 * replaced stack) is written anew, so the stream delivers it; one running past the publish
 * function's timeout is marked failed. Its failure is logged, never the caller's: the new run is queued.
 */
async function endRunsLeftBehind(deps: PublishDeps): Promise<void> {
  const now = deps.now();
  const start = async (runId: string) => {
    if (await deps.runs.redrive(runId, now)) await deps.publisher.trigger(runId);
  };
  try {
    const ended = await reconcileRuns({ runs: deps.runs, start, now: () => now }, deps.runsLeftBehind ?? LEFT_BEHIND);
    if (ended.restarted.length + ended.failed.length > 0) console.log('publish runs left behind', ended);
  } catch (error) {
    console.error('Could not end the publish runs left behind', error);
  }
}

/** A run that could not be started is marked failed, so nobody waits on it forever. */
async function startRun(deps: PublishDeps, run: PublishRun): Promise<void> {
  try {
    await deps.publisher.trigger(run.id);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.runs.update({ ...run, status: 'failed', finishedAt: deps.now().toISOString(), error: `could not start: ${message}` });
    throw new PressrunError('unavailable', 'The publish run could not be started; try again later', [], { cause: error });
  }
}
