/** What the bucket holds as a publish built it, read from the manifest: what a mail may link to. */
import { paths } from '../site.js';
import type { ManifestStore } from './ports.js';

/** A manifest value no content hash or fingerprint equals: what it marks may hold anything (a write under way). */
export const MANIFEST_PENDING = 'pending';

/** Which of these articles' pages the bucket holds as a publish built them (not pending a write). */
export async function articlePagesShown(manifest: Pick<ManifestStore, 'get'>, slugs: string[]): Promise<Set<string>> {
  const found = await manifest.get(slugs.map((slug) => paths.articlePage(slug)));
  return new Set(slugs.filter((slug) => ![undefined, MANIFEST_PENDING].includes(found.get(paths.articlePage(slug)))));
}
