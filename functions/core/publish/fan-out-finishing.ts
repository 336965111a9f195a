/**
 * The chunks that end a fanned-out publish (FinishingSpec in fan-out-ports.ts), each bounded in
 * time and memory whatever the archive's size: the tops; the sweeps of the manifest's parts, all
 * at once; and, when everything is rewritten, the sweep of the bucket's strays, in tries.
 */
import { archivePageSize } from './archive-pages.js';
import { ChunkWriter } from './chunk-writer.js';
import type { FannedOutPlan, FinishingSpec, PublishChunkMessage, PublishChunkQueue, PublishChunkStore } from './fan-out-ports.js';
import { listedResult, type ChunkResult, type FullPublishInput } from './full-context.js';
import { sweepParts, sweepStrays, writeTops } from './full-finish.js';
import { scopesOf } from './full-plan.js';

/** Chunks the manifest's parts are swept in, at most (a part is read a page at a time). */
export const SWEEP_CHUNKS = 8;
/** Articles' objects a sweep chunk takes on: an archive of 100,000 is swept by one, of a million by 8. */
export const ARTICLES_PER_SWEEP = 100_000;
/** Keys of the bucket one try of the strays' sweep sees: 20 list requests and 20 lookups of 1,000 keys. */
export const STRAYS_PER_TRY = 20_000;
/** Keys a chunk's result lists (ChunkResult.counted): a thousand chunks list no more than the archive's tenth. */
export const KEYS_LISTED_PER_CHUNK = 100;
const STRAYS_CHUNK = 'strays';

/** What a finishing chunk works with. */
export interface Finishing {
  plan: FannedOutPlan;
  input: FullPublishInput;
  /** Write every object whatever the manifest says (the first generation of a publish asked to). */
  rewrite: boolean;
  chunks: Pick<PublishChunkStore, 'chunks'>;
  chunkQueue: PublishChunkQueue;
  straysPerTry?: number;
  keysListedPerChunk?: number;
}

/** How a generation's sweeps are sized: the manifest's parts, the archive's articles, the share of one sweep. */
export interface SweepSizing {
  parts: number;
  articles: number;
  articlesPerSweep?: number;
  rewrite: boolean;
}

/**
 * The sweeps of a generation: the manifest's parts spread over as many chunks as the archive
 * needs (SWEEP_CHUNKS at most), and the bucket's strays when everything is rewritten.
 */
export function sweepSpecs({ parts, articles, articlesPerSweep = ARTICLES_PER_SWEEP, rewrite }: SweepSizing): FinishingSpec[] {
  const count = Math.min(parts, SWEEP_CHUNKS, Math.max(1, Math.ceil(articles / articlesPerSweep)));
  const sweeps: FinishingSpec[] = Array.from({ length: count }, (_, i) => ({
    id: `sweep-${i + 1}`,
    kind: 'sweep',
    parts: Array.from({ length: parts }, (_, part) => part).filter((part) => part % count === i),
  }));
  return rewrite ? [...sweeps, { id: STRAYS_CHUNK, kind: 'strays' }] : sweeps;
}

/** Carries out a finishing chunk: its result, or 'carried-on' when a try of the strays' sweep queued the next. */
export async function carryOutFinishing(
  finishing: Finishing,
  spec: FinishingSpec,
  message: Extract<PublishChunkMessage, { chunk: string }>,
): Promise<ChunkResult | 'carried-on'> {
  const { plan, input } = finishing;
  const listed = (deleted: string[], before = 0) =>
    listedResult({ written: [], unchanged: 0, leftOut: [], deleted }, finishing.keysListedPerChunk ?? KEYS_LISTED_PER_CHUNK, {
      deleted: before,
    });
  if (spec.kind === 'sweep') return listed(await sweepParts(input, spec.parts, plan.tags));
  // The tops list every key they wrote: the subscription feeds among them are what the WebSub hub hears of.
  if (spec.kind === 'tops') return writeTheTops(finishing);
  const tried = await sweepStrays(input, message.after, finishing.straysPerTry ?? STRAYS_PER_TRY);
  if (tried.next === undefined) return listed(tried.deleted, message.deletedBefore);
  const { runId, generation } = plan;
  const deletedBefore = (message.deletedBefore ?? 0) + tried.deleted.length;
  await finishing.chunkQueue.send([{ runId, generation, chunk: spec.id, after: tried.next, deletedBefore }]);
  return 'carried-on';
}

/** The objects that link to everything, from the pages every chunk landed. */
async function writeTheTops({ plan, input, rewrite, chunks }: Finishing): Promise<ChunkResult> {
  const records = await chunks.chunks(plan.runId, plan.generation);
  const scopes = scopesOf({ waves: [records.map((record) => record.spec)], tags: plan.tags }, archivePageSize(input.site.feedItemLimit));
  const writer = new ChunkWriter({ ...input, rewrite });
  await writeTops(input, scopes, writer);
  const seeded = new Set(plan.leftOut.map((entry) => entry.slug));
  return {
    written: [...writer.written],
    unchanged: writer.unchanged,
    leftOut: input.leftOut.list().filter((entry) => !seeded.has(entry.slug)),
  };
}
