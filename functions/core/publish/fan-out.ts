/**
 * A full publish fanned out over parallel invocations: the start plans the chunks
 * (full-plan.ts) and queues the first wave; each chunk is built and written by whichever
 * invocation receives it, and the last chunk of a wave to land queues the next wave. Once every
 * wave has landed come the chunks that end it (fan-out-finishing.ts): the tops (what links to
 * everything), then the sweeps of what nothing produced, all at once; the last sweep to land
 * queues the finish, which stores the archives' state and ends the run. A chunk that fails is
 * received again alone (the queue's retries); landing is idempotent, so a chunk received twice,
 * or a finish, changes nothing the second time. An incremental publish stays one invocation
 * (run-publish.ts).
 */
import { archivePageSize } from './archive-pages.js';
import { ChunkWriter } from './chunk-writer.js';
import {
  TOPS_CHUNK,
  wavesOf,
  type FannedOutPlan,
  type PublishChunkMessage,
  type PublishChunkQueue,
  type PublishChunkStore,
} from './fan-out-ports.js';
import { carryOutFinishing, KEYS_LISTED_PER_CHUNK, sweepSpecs, type Finishing } from './fan-out-finishing.js';
import { runChunk } from './full-chunks.js';
import { FINGERPRINT_KEY, listedResult, SiteReleased, type ChunkResult, type ChunkSpec, type FullPublishInput } from './full-context.js';
import { seal } from './full-finish.js';
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
  /** Keys of the bucket one try of the strays' sweep sees (STRAYS_PER_TRY unless a test wants many tries). */
  straysPerTry?: number;
  /** Keys a chunk's result lists (KEYS_LISTED_PER_CHUNK unless a test wants fewer). */
  keysListedPerChunk?: number;
  /** The share of the archive a sweep takes on (ARTICLES_PER_SWEEP unless a test wants several sweeps of a small one). */
  articlesPerSweep?: number;
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
export async function handleChunkMessage(
  deps: FanOutDeps,
  message: PublishChunkMessage,
): Promise<'landed' | 'carried-on' | 'finished' | 'stale'> {
  const open = await openPlanOf(deps, message);
  if (!open) return 'stale';
  const { plan, run } = open;
  if (!Array.isArray(plan.sweeps)) return endPlannedByEarlierRelease(deps, run);
  const context = contextOf(deps, plan);
  if ('finish' in message) return finish(deps, plan, run, context);
  const spec = await deps.chunks.spec(plan.runId, plan.generation, message.chunk);
  if (!spec) return 'stale';
  const wave = wavesOf(plan).findIndex((ids) => ids.includes(spec.id));
  const stillHolds = async () => (await deps.runs.get(plan.runId))?.status === 'running';
  const finishing: Finishing = { ...deps, plan, input: { ...fullInputOf(context, plan), stillHolds }, rewrite: firstTry(plan) };
  let result: ChunkResult | 'carried-on';
  try {
    result =
      spec.kind === 'site' || spec.kind === 'open' || spec.kind === 'tag'
        ? await contentChunk(finishing, spec, context)
        : await carryOutFinishing(finishing, spec, message);
  } catch (error) {
    // Its run ended while it swept: a chunk of a run that ended has nothing more to do.
    if (error instanceof SiteReleased) return 'stale';
    await deps.chunks.failed(plan.runId, plan.generation, spec.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
  if (result === 'carried-on') return result;
  const { waveLanded } = await deps.chunks.land(plan.runId, plan.generation, wave, spec.id, result);
  if (waveLanded) await afterWave(deps, plan, context, wave);
  return 'landed';
}

/** The plan and run a message belongs to, while they take work. */
async function openPlanOf(deps: FanOutDeps, { runId, generation }: PublishChunkMessage) {
  const [plan, next, run] = await Promise.all([
    deps.chunks.plan(runId, generation),
    deps.chunks.plan(runId, generation + 1),
    deps.runs.get(runId),
  ]);
  // A run that ended (finished, or failed by the reconciler) takes no more work; nor does a generation
  // planned over, whose stamp on a page would have the next generation's sweep take it for one nothing produced.
  return !plan || next || run?.status !== 'running' ? undefined : { plan, run };
}

/** Builds and writes a chunk of the archive; what its gate left out beyond the plan's goes in its result. */
async function contentChunk(finishing: Finishing, spec: ChunkSpec, context: PublishContext): Promise<ChunkResult> {
  const { input, plan } = finishing;
  const writer = new ChunkWriter({ ...input, rewrite: finishing.rewrite });
  await runChunk(input, spec, writer);
  const seeded = new Set(plan.leftOut.map((entry) => entry.slug));
  const leftOut = context.leftOut.list().filter((entry) => !seeded.has(entry.slug));
  return listedResult(
    { written: [...writer.written], unchanged: writer.unchanged, leftOut },
    finishing.keysListedPerChunk ?? KEYS_LISTED_PER_CHUNK,
  );
}

/** A wave landed: the next wave of the plan; once there is none, the tops; after the tops, the sweeps; after the sweeps, the finish. */
async function afterWave(deps: FanOutDeps, plan: FannedOutPlan, context: PublishContext, wave: number): Promise<void> {
  const { runId, generation } = plan;
  const [tops, sweeps] = [plan.waves.length, plan.waves.length + 1];
  if (wave === sweeps) return deps.chunkQueue.send([{ runId, generation, finish: true }]);
  if (wave === tops) return deps.chunkQueue.send(plan.sweeps.map((chunk) => ({ runId, generation, chunk })));
  return advance(deps, plan, context, wave + 1);
}

/**
 * Queues the first wave from `from` that has chunks. Once every wave has landed: a chunk's gate
 * that left an article out moved the archive's bounds, so the next generation is planned
 * without it; otherwise the tops are queued.
 */
async function advance(deps: FanOutDeps, plan: FannedOutPlan, context: PublishContext, from: number): Promise<void> {
  const { runId, generation } = plan;
  const wave = plan.waves.slice(from).find((ids) => ids.length > 0);
  if (wave) return deps.chunkQueue.send(wave.map((chunk) => ({ runId, generation, chunk })));
  const newlyLeftOut = (await deps.chunks.chunks(runId, generation)).flatMap((record) => record.result?.leftOut ?? []);
  if (newlyLeftOut.length === 0) return deps.chunkQueue.send([{ runId, generation, chunk: TOPS_CHUNK }]);
  if (generation >= GENERATIONS) throw new Error('the validation gate kept leaving articles out after writes began');
  for (const { slug, reason } of newlyLeftOut) context.leftOut.add(slug, reason);
  const { leftOut: _l, tags: _t, waves: _w, sweeps: _s, ...base } = plan;
  const next = { ...base, generation: generation + 1 };
  await fanOut(deps, next, fullInputOf(context, next));
}

/** Plans a generation, stores it and queues its first wave; `planned` is told in between. */
async function fanOut(
  deps: FanOutDeps,
  base: Omit<FannedOutPlan, 'leftOut' | 'tags' | 'waves' | 'sweeps'>,
  input: FullPublishInput,
  planned: () => Promise<void> = async () => {},
) {
  const chunks = await planFull(input, deps.chunkSizes ?? FANNED_OUT_CHUNKS);
  // Every closed page holds a page's worth of articles; the open region holds fewer than two pages' worth.
  const articles = (chunks.scopes.site.bounds.length + 2) * chunks.scopes.site.size;
  const sweeps = sweepSpecs({ parts: input.manifest.parts, articles, rewrite: base.rewrite, articlesPerSweep: deps.articlesPerSweep });
  const plan: FannedOutPlan = {
    ...base,
    leftOut: input.leftOut.list(),
    tags: [...chunks.scopes.tags.keys()],
    waves: chunks.waves.map((wave) => wave.map((chunk) => chunk.id)),
    sweeps: sweeps.map((sweep) => sweep.id),
  };
  await deps.chunks.savePlan(plan, [...chunks.waves.flat(), { id: TOPS_CHUNK, kind: 'tops' }, ...sweeps]);
  await planned();
  await advance(deps, plan, contextOf(deps, plan), 0);
}

/**
 * Every chunk has landed, the sweeps last: the archives' state and the fingerprint are stored,
 * and the run ends with a report of its chunks.
 */
async function finish(deps: FanOutDeps, plan: FannedOutPlan, run: PublishRun, context: PublishContext): Promise<'finished'> {
  const records = await deps.chunks.chunks(plan.runId, plan.generation);
  const results = records.map((record) => record.result!);
  // Only the tops' gate can have left an article out by now (any other gate's would have made a new generation).
  for (const { slug, reason } of results.flatMap((result) => result.leftOut)) context.leftOut.add(slug, reason);
  const scopes = scopesOf({ waves: [records.map((record) => record.spec)], tags: plan.tags }, archivePageSize(deps.site.feedItemLimit));
  await seal(fullInputOf(context, plan), scopes);
  const written = [...new Set(results.flatMap((result) => result.written))];
  const deleted = [...new Set(results.flatMap((result) => result.deleted ?? []))].sort();
  const unchanged = results.reduce((sum, result) => sum + result.unchanged, 0);
  const counted = (kind: 'written' | 'deleted') =>
    results.reduce(
      (sum, result) => sum + (result.counted?.[kind] ?? (kind === 'written' ? result.written : (result.deleted ?? [])).length),
      0,
    );
  const listed = { written: counted('written'), deleted: counted('deleted') };
  const whole = listed.written === written.length && listed.deleted === deleted.length;
  const report = await concludePublish(
    deps,
    context,
    { full: true, markers: plan.markers },
    { written, unchanged, deleted, ...(whole ? {} : { listed }) },
  );
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

/**
 * A run planned by the release before a deploy: its pages carry no stamps, so no sweep of this
 * release may follow it. It ends as failed, nothing written or deleted, and the runs it held
 * go ahead; the next full publish starts over (its markers were not cleared).
 */
async function endPlannedByEarlierRelease(deps: FanOutDeps, run: PublishRun): Promise<'stale'> {
  const finishedAt = deps.clock();
  const error = 'planned by an earlier release of Pressrun, deployed over while it ran; the next publish starts over';
  await deps.runs.update({ ...run, status: 'failed', finishedAt: finishedAt.toISOString(), error });
  for (const waiting of await deps.runs.unfinished()) if (waiting.status === 'queued') await deps.runs.redrive(waiting.id, finishedAt);
  return 'stale';
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
