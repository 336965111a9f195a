/**
 * Writing a plan's objects so the manifest never runs ahead of the bucket: an object about to
 * change is marked PENDING first and gets its hash once written. A crash anywhere leaves marks
 * that match no build, so the next publish rewrites everything the crashed one may have touched.
 */
import type { OutputObject } from '../site.js';
import { MANIFEST_PENDING } from './pages-shown.js';
import type { PublishPlan } from './plan.js';
import type { ManifestEntry, ManifestStore, ObjectStore } from './ports.js';

/** PENDING marks; a full publish stamps its own, so its sweep never takes a key it is still writing for one that nothing produced. */
export const pendingEntries = (keys: readonly string[], stamp?: string): ManifestEntry[] =>
  keys.map((key) => ({ key, value: MANIFEST_PENDING, ...(stamp === undefined ? {} : { stamp }) }));

/**
 * Writes each phase with `put` (which bounds its own concurrency), after marking it PENDING;
 * `withFirst` is recorded with the first phase's marks, and every entry carries `stamp`.
 * `written` hears how many objects each phase wrote.
 */
export async function writePhases(
  manifest: Pick<ManifestStore, 'put'>,
  plan: Pick<PublishPlan, 'phases' | 'hashes'>,
  put: (object: OutputObject) => Promise<void>,
  options: { withFirst?: ManifestEntry[]; stamp?: string; written?: (count: number) => Promise<void> } = {},
): Promise<void> {
  const { stamp } = options;
  const phases = plan.phases.filter((phase) => phase.length > 0);
  const keys = phases.map((phase) => phase.map((o) => o.key));
  if (phases.length === 0) {
    if (options.withFirst?.length) await manifest.put(options.withFirst);
    return;
  }
  await manifest.put([...(options.withFirst ?? []), ...pendingEntries(keys[0]!, stamp)]);
  for (const [i, phase] of phases.entries()) {
    await Promise.all(phase.map(put));
    // Recorded with the next phase's marks: one manifest write per phase.
    const hashes = phase.map((o) => ({ key: o.key, value: plan.hashes.get(o.key)!, ...(stamp === undefined ? {} : { stamp }) }));
    await manifest.put([...hashes, ...pendingEntries(keys[i + 1] ?? [], stamp)]);
    await options.written?.(phase.length);
  }
}

/**
 * Deletes objects so the manifest never claims one the bucket lost: the keys are marked PENDING
 * first, then deleted from the bucket, then from the manifest. A crash after the bucket's delete
 * leaves marks that match no build, so an object produced again (an article brought back as it
 * was) is written again instead of being taken for unchanged.
 */
export async function deleteObjects(
  manifest: Pick<ManifestStore, 'put' | 'delete'>,
  objects: Pick<ObjectStore, 'delete'>,
  keys: string[],
): Promise<void> {
  if (keys.length === 0) return;
  await manifest.put(pendingEntries(keys));
  await objects.delete(keys);
  await manifest.delete(keys);
}
