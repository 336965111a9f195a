/**
 * A full publish in one process, in bounded memory: the plan (full-plan.ts) cuts the archive into
 * chunks of pages, each read from the store by its window, gated, compared with the manifest and
 * written before the next; the objects that link to everything come last (full-finish.ts). The
 * fanned-out publish (fan-out.ts) carries out the same chunks in parallel invocations.
 */
import { ChunkWriter } from './chunk-writer.js';
import { mapWithConcurrency } from '../concurrency.js';
import { PAGES_IN_FLIGHT, runChunk } from './full-chunks.js';
import { FINGERPRINT_KEY, INTERNAL_PREFIX, type FullPublishInput } from './full-context.js';
import { settle, writeTops } from './full-finish.js';
import { planFull, type ChunkSizes } from './full-plan.js';
import { pendingEntries } from './write-phases.js';

export { FINGERPRINT_KEY, type FullPublishInput };

/** In one process a chunk is one page: the pages in flight are what bounds memory. */
const IN_PROCESS: ChunkSizes = { sitePages: 1, tagPages: 8 };

export interface FullPublishResult {
  written: string[];
  unchanged: number;
  deleted: string[];
}

/** The number of the last full publish in one process: each stamps what it produces with its own (chunk-writer.ts). */
const COUNT_KEY = `${INTERNAL_PREFIX}full-publishes`;

export async function publishEverything(base: Omit<FullPublishInput, 'stamp'>): Promise<FullPublishResult> {
  const count = Number((await base.manifest.get([COUNT_KEY])).get(COUNT_KEY) ?? 0) + 1;
  await base.manifest.put([...pendingEntries([FINGERPRINT_KEY]), { key: COUNT_KEY, value: String(count) }]);
  const input: FullPublishInput = { ...base, stamp: `full-${count}` };
  let stamp = `${input.stamp}/1`;
  const writer = new ChunkWriter({ ...input, stamp });
  for (let pass = 1; ; pass++) {
    const plan = await planFull(input, IN_PROCESS);
    const leftOutBefore = input.leftOut.size;
    for (const wave of plan.waves) await mapWithConcurrency(wave, PAGES_IN_FLIGHT, (chunk) => runChunk(input, chunk, writer));
    await writeTops(input, plan.scopes, writer);
    // An article the gate left out after the archive keys were read moved the pages' bounds: once
    // more, writing only what differs (the manifest now says what this pass wrote).
    if (input.leftOut.size === leftOutBefore) {
      const deleted = await settle({ ...input, stamp }, plan.scopes);
      return { written: [...writer.written], unchanged: writer.unchanged, deleted };
    }
    if (pass === 3) throw new Error('the validation gate kept leaving articles out after writes began');
    stamp = `${input.stamp}/${pass + 1}`;
    writer.nextPass(stamp);
  }
}
