/** What a fanned-out full publish needs from the outside: where its chunks are kept, and the queue that carries them. */
import type { ChangeMarker } from '../content/ports.js';
import type { ChunkResult, ChunkSpec } from './full-context.js';

/**
 * A fanned-out publish, as its start planned it. A generation is one try at the whole archive:
 * when a chunk's gate leaves an article out after the archive keys were read, the pages' bounds
 * moved, and the finish plans the next generation with that article left out from the start.
 */
export interface FannedOutPlan {
  runId: string;
  generation: number;
  /** The publish's instant, which every chunk publishes as of. */
  now: string;
  /** Asked for: every object rewritten, whatever the manifest says (first generation only). */
  rewrite: boolean;
  /** Whether the publish may make a digest. */
  digest: boolean;
  lastAt?: string;
  markers: ChangeMarker[];
  /** Articles left out so far (by the start's gate, or by an earlier generation's chunks). */
  leftOut: Array<{ slug: string; reason: string }>;
  /** Every tag with articles (one without closed pages has no chunk). */
  tags: string[];
  /** The ids of each wave's chunks (each chunk's spec is kept apart: a large archive has many). */
  waves: string[][];
  /** The chunks that sweep what nothing produced, once the tops are written (wavesOf). */
  sweeps: string[];
}

/** The chunk that writes the objects that link to everything, once every chunk of the waves has landed. */
export const TOPS_CHUNK = 'tops';

/** Every wave as the store counts them: the plan's, then the tops, then the sweeps. */
export const wavesOf = (plan: Pick<FannedOutPlan, 'waves' | 'sweeps'>): string[][] => [...plan.waves, [TOPS_CHUNK], plan.sweeps];

/**
 * The chunks that end a fanned-out publish, besides those of its waves: the tops; a sweep of some
 * parts of the manifest, deleting what carries no stamp of this generation; and, when the
 * publish was asked to rewrite everything, a sweep of the bucket itself (its strays), in tries
 * that each carry on after the last key the one before saw.
 */
export type FinishingSpec = { id: string; kind: 'tops' } | { id: string; kind: 'sweep'; parts: number[] } | { id: string; kind: 'strays' };

export type StoredChunkSpec = ChunkSpec | FinishingSpec;

/**
 * A chunk, or the finish, which ends the run once every chunk landed. A try of the strays' sweep
 * carries on `after` the last key the one before saw, which had deleted `deletedBefore` in all.
 */
export type PublishChunkMessage =
  | { runId: string; generation: number; chunk: string; after?: string; deletedBefore?: number }
  | { runId: string; generation: number; finish: true };

export interface PublishChunkQueue {
  send(messages: PublishChunkMessage[]): Promise<void>;
}

/** A chunk that landed, or failed (its message comes back until it lands or is dead-lettered). */
export interface ChunkRecord {
  spec: StoredChunkSpec;
  wave: number;
  attempts: number;
  result?: ChunkResult;
  lastError?: string;
}

export interface PublishChunkStore {
  /** Stores a generation's plan and every chunk of it; storing the same again changes nothing. */
  savePlan(plan: FannedOutPlan, chunks: StoredChunkSpec[]): Promise<void>;
  plan(runId: string, generation: number): Promise<FannedOutPlan | undefined>;
  spec(runId: string, generation: number, chunk: string): Promise<StoredChunkSpec | undefined>;
  /** Records what a chunk did and whether every chunk of its wave has landed (true on every call after that). */
  land(runId: string, generation: number, wave: number, chunk: string, result: ChunkResult): Promise<{ waveLanded: boolean }>;
  /** Records a try that failed. */
  failed(runId: string, generation: number, chunk: string, error: string): Promise<void>;
  /** Every chunk of a generation, with what each did. */
  chunks(runId: string, generation: number): Promise<ChunkRecord[]>;
}
