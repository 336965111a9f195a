/**
 * Plans a full publish: one read of every article keeps only its archive key, enough to close
 * each scope's full archive pages; the objects that link to everything pass the gate before
 * anything is written; then the archive is cut into chunks of pages (full-context.ts).
 */
import { feedError, feedFailures } from '../feeds/validate/validate-feeds.js';
import { archiveKey, archivePageSize, closeFullPagesOfKeys, openSince, readArchiveState, type ArchiveState } from './archive-pages.js';
import { archiveStateKey } from './build-scopes.js';
import { siteTopOutputs, tagTopOutputs } from './full-chunks.js';
import type { StoredChunkSpec } from './fan-out-ports.js';
import type { ChunkSpec, FullPlan, FullPublishInput, PageWindow, Scopes } from './full-context.js';

/** Pages per chunk: a site page brings its 50 articles' pages, a tag page only three feeds. */
export interface ChunkSizes {
  sitePages: number;
  tagPages: number;
}

export async function planFull(input: FullPublishInput, sizes: ChunkSizes): Promise<FullPlan> {
  let scopes = await closeArchives(input);
  while (await leavesOutBeforeWriting(input, scopes)) scopes = await closeArchives(input);
  const site: ChunkSpec[] = groups(windows(scopes.site), sizes.sitePages).map((pages, i) => ({
    id: `site-${i + 1}`,
    kind: 'site',
    pages,
    newestPage: scopes.site.bounds.length,
  }));
  const since = openSince(scopes.site);
  site.push({ id: 'open', kind: 'open', ...(since === undefined ? {} : { since }) });
  const tags: ChunkSpec[] = [...scopes.tags].flatMap(([tag, state]) =>
    groups(windows(state), sizes.tagPages).map((pages, i) => ({
      id: `tag-${tag}-${i + 1}`,
      kind: 'tag' as const,
      tag,
      pages,
      newestPage: state.bounds.length,
    })),
  );
  return { waves: [site, tags], scopes };
}

/** Each scope's archive state as the chunks of a plan carry it (the finish stores them). */
export function scopesOf(plan: { waves: StoredChunkSpec[][]; tags: string[] }, size: number): Scopes {
  const bounds = new Map<string | undefined, string[]>([[undefined, []], ...plan.tags.map((tag) => [tag, []] as [string, string[]])]);
  for (const chunk of plan.waves.flat()) {
    if (chunk.kind !== 'site' && chunk.kind !== 'tag') continue;
    const scope = bounds.get(chunk.kind === 'tag' ? chunk.tag : undefined)!;
    for (const { page, high } of chunk.pages) scope[page - 1] = high;
  }
  const state = (tag: string | undefined): ArchiveState => ({ size, bounds: bounds.get(tag)! });
  return { site: { ...state(undefined), tags: [...plan.tags] }, tags: new Map(plan.tags.map((tag) => [tag, state(tag)])) };
}

/** Reads every article's archive key once, and closes each scope's full pages from its stored state. */
async function closeArchives(input: FullPublishInput): Promise<Scopes> {
  const site: string[] = [];
  const byTag = new Map<string, string[]>();
  for await (const page of input.articles.allPublished(input.now)) {
    for (const article of page) {
      const key = archiveKey(article);
      site.push(key);
      for (const tag of article.tags) (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(key);
    }
  }
  const size = archivePageSize(input.site.feedItemLimit);
  const stored = await input.manifest.get([archiveStateKey(undefined), ...[...byTag.keys()].map(archiveStateKey)]);
  const close = (tag: string | undefined, keys: string[]) =>
    closeFullPagesOfKeys(readArchiveState(stored.get(archiveStateKey(tag)), size), keys);
  const tags = new Map([...byTag.keys()].sort().map((tag) => [tag, close(tag, byTag.get(tag)!)]));
  return { site: { ...close(undefined, site), tags: [...tags.keys()] }, tags };
}

/**
 * The gate on the objects that link to everything, before the first write: a feed broken by
 * something besides an article (a setting) stops the publish with nothing written; an article
 * that breaks a rule is left out, and true says the archives must be read again without it.
 */
async function leavesOutBeforeWriting(input: FullPublishInput, scopes: Scopes): Promise<boolean> {
  const tops = [
    () => siteTopOutputs(input, scopes),
    ...[...scopes.tags].map(
      ([tag, state]) =>
        () =>
          tagTopOutputs(input, tag, state),
    ),
  ];
  const before = input.leftOut.size;
  for (const build of tops) {
    const failures = feedFailures(await build(), { site: input.site, now: input.now });
    if (failures.some((f) => f.problem.slug === undefined)) throw feedError(failures);
    for (const { problem } of failures) input.leftOut.add(problem.slug!, `breaks ${problem.rule}: ${problem.message}`);
    if (input.leftOut.size > before) return true;
  }
  return false;
}

function windows(state: ArchiveState): PageWindow[] {
  return state.bounds.map((high, i) => ({ page: i + 1, high, ...(i > 0 ? { low: state.bounds[i - 1]! } : {}) }));
}

function groups<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
