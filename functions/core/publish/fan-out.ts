/**
 * A full publish fanned out over parallel invocations: the start plans the chunks
 * (full-plan.ts) and queues the first wave; each chunk is built and written by whichever
 * invocation receives it, and the last chunk of a wave to land queues the next wave, then the
 * finish, which writes the objects that link to everything, deletes what nothing produced and
 * ends the run. A chunk that fails is received again alone (the queue's retries); landing is
 * idempotent, so a chunk received twice, or a finish, changes nothing the second time.
 * An incremental publish stays one invocation (run-publish.ts).
 */
import { archivePageSize } from './archive-pages.js';
import { ChunkWriter } from './chunk-writer.js';
import type { FannedOutPlan, PublishChunkMessage, PublishChunkQueue, PublishChunkStore } from './fan-out-ports.js';
import { runChunk } from './full-chunks.js';
import { FINGERPRINT_KEY, type ChunkResult, type FullPublishInput } from './full-context.js';
import { settle, writeTops } from './full-finish.js';
import { planFull, scopesOf, type ChunkSizes } from './full-plan.js';
import type { PublishReport, PublishRun, PublishRunStore } from './ports.js';
import {
  concludePublish,
  publishContext,
  readState,
  runPublish,
  type PublishContext,
  type PublishDeps,
  type PublishOptions,
} from './run-publish.js';
import { pendingEntries } from './write-phases.js';

/** About 1,000 articles' pages, or 40 pages of a tag's archive, per chunk: seconds of work, far inside 2 minutes. */
export const FANNED_OUT_CHUNKS: ChunkSizes = { sitePages: 20, tagPages: 40 };
/** A generation whose chunks left articles out is planned again without them, at most this many times. */
const GENERATIONS = 3;

export interface FanOutDeps extends PublishDeps {
  runs: PublishRunStore;
  chunks: PublishChunkStore;
  chunkQueue: PublishChunkQueue;
  clock: () => Date;
  /** Pages per chunk (FANNED_OUT_CHUNKS unless a test wants many small chunks). */
  chunkSizes?: ChunkSizes;
  /**
   * Told once everything is in place, before the run ends: what the invocation that started the
   * run would have done after a publish in one invocation (a scheduled digest's send starts here).
   * Its failure fails the finish, which is received again.
   */
  onFinished?: () => Promise<unknown>;
}

/** The fanned-out run other than `runId` still under way, if any: no other publish may start while it holds the site. */
export async function fannedOutRunHolding(runs: Pick<PublishRunStore, 'unfinished'>, runId: string): Promise<string | undefined> {
  return (await runs.unfinished()).find((run) => run.id !== runId && run.status === 'running' && run.fannedOutAt !== undefined)?.id;
}

/**
 * Publishes in this invocation when the publish is incremental; fans a full one out, `fanningOut`
 * recording that on the run once the chunks are planned and before any is queued (so before one
 * can land and end the run). Until then the run is one invocation's, and ends as one: an
 * invocation that dies while it plans leaves a run the next schedule takes for left behind, not
 * one that holds the site for the hours a fanned-out run may take.
 */
export async function startPublish(
  deps: FanOutDeps,
  run: Pick<PublishRun, 'id'>,
  options: PublishOptions & { fanningOut: () => Promise<void> },
): Promise<PublishReport | 'fanned-out'> {
  const state = await readState(deps, options);
  if (!state.full) return runPublish(deps, options);
  const context = publishContext(deps, state, options);
  await deps.manifest.put(pendingEntries([FINGERPRINT_KEY]));
  const base = {
    runId: run.id,
    generation: 1,
    now: options.now.toISOString(),
    rewrite: options.full === true,
    digest: options.digest ?? true,
    ...(state.lastAt === undefined ? {} : { lastAt: state.lastAt }),
    markers: state.markers,
  };
  await fanOut(deps, base, fullInputOf(context, base), options.fanningOut);
  return 'fanned-out';
}

/** Carries out one message of a fanned-out publish: a chunk, or the finish. Throws when it must be received again. */
export async function handleChunkMessage(deps: FanOutDeps, message: PublishChunkMessage): Promise<'landed' | 'finished' | 'stale'> {
  const [plan, run] = await Promise.all([deps.chunks.plan(message.runId, message.generation), deps.runs.get(message.runId)]);
  // A run that ended (finished, or failed by the reconciler) takes no more work; nor does a generation planned over.
  if (!plan || run?.status !== 'running') return 'stale';
  const context = contextOf(deps, plan);
  if ('finish' in message) return finish(deps, plan, run, context);
  const spec = await deps.chunks.spec(plan.runId, plan.generation, message.chunk);
  if (!spec) return 'stale';
  const wave = plan.waves.findIndex((ids) => ids.includes(spec.id));
  const input = fullInputOf(context, plan);
  const writer = new ChunkWriter({ ...input, rewrite: firstTry(plan) });
  try {
    await runChunk(input, spec, writer);
  } catch (error) {
    await deps.chunks.failed(plan.runId, plan.generation, spec.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
  const seeded = new Set(plan.leftOut.map((entry) => entry.slug));
  const result: ChunkResult = {
    written: [...writer.written],
    unchanged: writer.unchanged,
    leftOut: context.leftOut.list().filter((entry) => !seeded.has(entry.slug)),
  };
  const { waveLanded } = await deps.chunks.land(plan.runId, plan.generation, wave, spec.id, result);
  if (waveLanded) await sendWave(deps.chunkQueue, plan, wave + 1);
  return 'landed';
}

/** Plans a generation, stores it and queues its first wave; `planned` is told in between. */
async function fanOut(
  deps: FanOutDeps,
  base: Omit<FannedOutPlan, 'leftOut' | 'tags' | 'waves'>,
  input: FullPublishInput,
  planned: () => Promise<void> = async () => {},
) {
  const chunks = await planFull(input, deps.chunkSizes ?? FANNED_OUT_CHUNKS);
  const plan: FannedOutPlan = {
    ...base,
    leftOut: input.leftOut.list(),
    tags: [...chunks.scopes.tags.keys()],
    waves: chunks.waves.map((wave) => wave.map((chunk) => chunk.id)),
  };
  await deps.chunks.savePlan(plan, chunks.waves.flat());
  await planned();
  await sendWave(deps.chunkQueue, plan, 0);
}

/** The first wave from `from` that has chunks, or the finish once there is none. */
async function sendWave(queue: PublishChunkQueue, plan: FannedOutPlan, from: number): Promise<void> {
  const { runId, generation } = plan;
  const wave = plan.waves.slice(from).find((ids) => ids.length > 0);
  await queue.send(wave ? wave.map((chunk) => ({ runId, generation, chunk })) : [{ runId, generation, finish: true }]);
}

/**
 * Every chunk has landed: a chunk's gate that left an article out moved the archive's bounds, so
 * the next generation is planned without it; otherwise the objects that link to everything are
 * written, what nothing produced deleted, and the run ends with a report of its chunks.
 */
async function finish(deps: FanOutDeps, plan: FannedOutPlan, run: PublishRun, context: PublishContext): Promise<'finished'> {
  const records = await deps.chunks.chunks(plan.runId, plan.generation);
  const results = records.map((record) => record.result!);
  const newlyLeftOut = results.flatMap((result) => result.leftOut);
  if (newlyLeftOut.length > 0) {
    if (plan.generation >= GENERATIONS) throw new Error('the validation gate kept leaving articles out after writes began');
    for (const { slug, reason } of newlyLeftOut) context.leftOut.add(slug, reason);
    const { leftOut: _l, tags: _t, waves: _w, ...base } = plan;
    const next = { ...base, generation: plan.generation + 1 };
    await fanOut(deps, next, fullInputOf(context, next));
    return 'finished';
  }
  const input = fullInputOf(context, plan);
  const scopes = scopesOf({ waves: [records.map((record) => record.spec)], tags: plan.tags }, archivePageSize(deps.site.feedItemLimit));
  const writer = new ChunkWriter({ ...input, rewrite: firstTry(plan) });
  await writeTops(input, scopes, writer);
  const deleted = await settle(input, scopes);
  const written = [...new Set([...results.flatMap((result) => result.written), ...writer.written])];
  const unchanged = results.reduce((sum, result) => sum + result.unchanged, writer.unchanged);
  const report = await concludePublish(deps, context, { full: true, markers: plan.markers }, { written, unchanged, deleted });
  await deps.onFinished?.();
  const finishedAt = deps.clock();
  const retried = records.filter((record) => record.attempts > 1).map((record) => ({ id: record.spec.id, attempts: record.attempts }));
  await deps.runs.update({
    ...run,
    status: 'succeeded',
    finishedAt: finishedAt.toISOString(),
    report: {
      ...report,
      durationMs: finishedAt.getTime() - Date.parse(run.startedAt ?? plan.now),
      chunks: { total: records.length, generations: plan.generation, ...(retried.length > 0 ? { retried } : {}) },
    },
  });
  // Runs asked for meanwhile waited (heldBy in execute-run.ts): written anew, the table's stream delivers them now.
  for (const waiting of await deps.runs.unfinished()) if (waiting.status === 'queued') await deps.runs.redrive(waiting.id, finishedAt);
  return 'finished';
}

function contextOf(deps: FanOutDeps, plan: FannedOutPlan): PublishContext {
  return publishContext(deps, { full: true, lastAt: plan.lastAt }, { now: new Date(plan.now), digest: plan.digest, leftOut: plan.leftOut });
}

/** What a generation produces carries its run's and its own number: its sweep takes what only an earlier one produced. */
const fullInputOf = (context: PublishContext, plan: Pick<FannedOutPlan, 'runId' | 'generation' | 'rewrite'>): FullPublishInput => ({
  ...context.fullInput(plan.rewrite),
  stamp: `${plan.runId}/${plan.generation}`,
});

/** Asked to rewrite everything: the first generation does; a later one compares with what the first wrote. */
const firstTry = (plan: FannedOutPlan) => plan.rewrite && plan.generation === 1;
