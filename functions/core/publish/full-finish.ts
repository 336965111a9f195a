/**
 * The end of a full publish, once every chunk has landed: the objects that link to everything
 * (each tag's feeds and page, the digests, then the home page, the site's feeds and the sitemap
 * index), so no reader meets a link to a page not yet written; then whatever nothing produced
 * is deleted, and the archive states and the fingerprint are stored.
 */
import { writeArchiveState, type ArchiveState } from './archive-pages.js';
import { ARCHIVE_STATE_PREFIX, archiveStateKey } from './build-scopes.js';
import type { ChunkWriter } from './chunk-writer.js';
import { siteTopOutputs, tagTopOutputs, writeGated } from './full-chunks.js';
import { FINGERPRINT_KEY, INTERNAL_PREFIX, type FullPublishInput, type Scopes } from './full-context.js';
import type { ManifestEntry, ManifestStore } from './ports.js';
import { deleteObjects } from './write-phases.js';

/** Writes the objects that link to everything; `writer` then knows every key this publish produced. */
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

/** Deletes what nothing produced, stores the archive states, and last the fingerprint: the publish is whole. */
export async function settle(input: FullPublishInput, scopes: Scopes, produced: (key: string) => boolean): Promise<string[]> {
  const manifest = await input.manifest.all();
  const known = new Set([...manifest.keys()].filter((key) => !key.startsWith(INTERNAL_PREFIX)));
  if (input.rewrite) for await (const { key } of input.objects.list()) known.add(key);
  const deleted = [...known].filter((key) => !produced(key)).sort();
  await deleteObjects(input.manifest, input.objects, deleted);
  await storeArchiveStates(input.manifest, scopes, manifest);
  await input.manifest.put([{ key: FINGERPRINT_KEY, value: input.fingerprint }]);
  return deleted;
}

/** Each scope's archive state, once every object is written; the states of scopes that are gone are dropped. */
async function storeArchiveStates(manifest: Pick<ManifestStore, 'put' | 'delete'>, scopes: Scopes, stored: Map<string, string>) {
  const states: ManifestEntry[] = [];
  const keep = (tag: string | undefined, state: ArchiveState) => {
    const value = writeArchiveState(state);
    if (value !== stored.get(archiveStateKey(tag))) states.push({ key: archiveStateKey(tag), value });
  };
  keep(undefined, scopes.site);
  for (const [tag, state] of scopes.tags) keep(tag, state);
  const live = new Set([archiveStateKey(undefined), ...[...scopes.tags.keys()].map(archiveStateKey)]);
  const dropped = [...stored.keys()].filter((key) => key.startsWith(ARCHIVE_STATE_PREFIX) && !live.has(key));
  if (states.length > 0) await manifest.put(states);
  if (dropped.length > 0) await manifest.delete(dropped);
}
