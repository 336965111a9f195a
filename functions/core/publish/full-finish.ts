/**
 * The end of a full publish, once every chunk has landed: the objects that link to everything
 * (each tag's feeds and page, the digests, then the home page, the site's feeds and the sitemap
 * index), so no reader meets a link to a page not yet written; then whatever nothing produced
 * is deleted, and the archive states and the fingerprint are stored.
 */
import { mapWithConcurrency } from '../concurrency.js';
import { writeArchiveState } from './archive-pages.js';
import { ARCHIVE_STATE_PREFIX, archiveStateKey } from './build-scopes.js';
import type { ChunkWriter } from './chunk-writer.js';
import { siteTopOutputs, tagTopOutputs, writeGated } from './full-chunks.js';
import { FINGERPRINT_KEY, INTERNAL_PREFIX, SiteReleased, type FullPublishInput, type Scopes } from './full-context.js';
import type { ManifestEntry, ManifestStore } from './ports.js';
import { deleteObjects } from './write-phases.js';

/** Writes the objects that link to everything, each scope's tops a few at a time. */
export async function writeTops(input: FullPublishInput, scopes: Scopes, writer: ChunkWriter): Promise<void> {
  await writeGated(
    input,
    writer,
    [...scopes.tags].map(
      ([tag, state]) =>
        () =>
          tagTopOutputs(input, tag, state),
    ),
  );
  for await (const digests of input.digestChunks()) await writer.write(digests);
  await writeGated(input, writer, [() => siteTopOutputs(input, scopes)]);
}

/** Parts of the manifest swept at once: each holds one page of keys in memory at a time. */
const PARTS_AT_ONCE = 4;
/** Keys of the bucket looked up in the manifest at once, when everything is rewritten. */
const BUCKET_PAGE = 1_000;

/**
 * Deletes what nothing produced, stores the archive states, and last the fingerprint: the
 * publish is whole. What this publish produced carries its stamp (chunk-writer.ts), so the
 * manifest is read a page at a time and nothing of the archive's size is kept in memory. A
 * fanned-out publish sweeps the same way, its parts spread over chunks (fan-out.ts).
 */
export async function settle(input: FullPublishInput, scopes: Scopes): Promise<string[]> {
  const parts = Array.from({ length: input.manifest.parts }, (_, part) => part);
  const deleted = await sweepParts(input, parts, [...scopes.tags.keys()]);
  if (input.rewrite) deleted.push(...(await sweepStrays(input, undefined, Infinity)).deleted);
  await seal(input, scopes);
  return [...new Set(deleted)].sort();
}

/**
 * Deletes what the given parts of the manifest hold without this publish's stamp, and the
 * archive states of scopes that are gone (`tags` are those that remain).
 */
export async function sweepParts(input: FullPublishInput, parts: number[], tags: string[]): Promise<string[]> {
  const live = new Set([archiveStateKey(undefined), ...tags.map(archiveStateKey)]);
  const deleted: string[] = [];
  await mapWithConcurrency(parts, PARTS_AT_ONCE, async (part) => {
    for await (const page of input.manifest.unstamped(part, input.stamp)) {
      const gone = page.filter((key) => !key.startsWith(INTERNAL_PREFIX));
      const dropped = page.filter((key) => key.startsWith(ARCHIVE_STATE_PREFIX) && !live.has(key));
      await deleteHeld(input, gone);
      if (dropped.length > 0) await input.manifest.delete(dropped);
      deleted.push(...gone);
    }
  });
  return deleted;
}

/**
 * Asked to make the bucket right whatever the manifest says: deletes the objects it holds that
 * this publish did not produce, from after `after`, until `limit` keys were seen; `next` is
 * where the next try carries on (undefined: the bucket was seen to its end).
 */
export async function sweepStrays(
  input: FullPublishInput,
  after: string | undefined,
  limit: number,
): Promise<{ deleted: string[]; next?: string }> {
  const deleted: string[] = [];
  let page: string[] = [];
  let seen = 0;
  const sweep = async () => {
    const stamps = await input.manifest.stamps(page);
    const gone = page.filter((key) => stamps.get(key) !== input.stamp);
    await deleteHeld(input, gone);
    deleted.push(...gone);
    page = [];
  };
  for await (const { key } of input.objects.list(undefined, after)) {
    page.push(key);
    if (page.length === BUCKET_PAGE) await sweep();
    if (++seen === limit) {
      await sweep();
      return { deleted, next: key };
    }
  }
  if (page.length > 0) await sweep();
  return { deleted };
}

/** Deletes what a sweep found, if the publish still holds the site (else SiteReleased). */
async function deleteHeld(input: FullPublishInput, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  if (input.stillHolds && !(await input.stillHolds())) throw new SiteReleased();
  await deleteObjects(input.manifest, input.objects, keys);
}

/** Last: each scope's archive state, then the fingerprint, which says the publish is whole. */
export async function seal(input: FullPublishInput, scopes: Scopes): Promise<void> {
  await storeArchiveStates(input.manifest, scopes);
  await input.manifest.put([{ key: FINGERPRINT_KEY, value: input.fingerprint }]);
}

/** Each scope's archive state, once every object is written (the sweep dropped the states of scopes that are gone). */
async function storeArchiveStates(manifest: Pick<ManifestStore, 'get' | 'put'>, scopes: Scopes) {
  const all = [[undefined, scopes.site] as const, ...scopes.tags];
  const stored = await manifest.get(all.map(([tag]) => archiveStateKey(tag)));
  const states: ManifestEntry[] = [];
  for (const [tag, state] of all) {
    const value = writeArchiveState(state);
    if (value !== stored.get(archiveStateKey(tag))) states.push({ key: archiveStateKey(tag), value });
  }
  if (states.length > 0) await manifest.put(states);
}
