/**
 * A full publish in bounded memory. The archive is streamed, never held: one read of every
 * article keeps only its archive key (enough to close the archive's full pages); then each
 * closed page of the site's archive is a chunk (the pages of its articles, its feeds and its
 * sitemap), read from the store by its window; each tag's archive pages and feeds follow; the
 * objects that link to everything (home, site feeds, sitemap index, digest archive) come last.
 * A chunk passes the gate, is compared with the manifest and written (PENDING first) before
 * its memory is let go, so a publish holds a few chunks' outputs at a time, whatever the size
 * of the archive.
 */
import { limiter, mapWithConcurrency } from '../concurrency.js';
import { allInWindow } from '../content/articles-in-window.js';
import type { ArticleStore } from '../content/ports.js';
import { feedError, feedFailures } from '../feeds/validate/validate-feeds.js';
import type { OutputObject, SiteConfig } from '../site.js';
import {
  archiveKey,
  archivePageSize,
  archiveWindow,
  closeFullPagesOfKeys,
  inWindow,
  openSince,
  openSinceInstant,
  readArchiveState,
  writeArchiveState,
  type ArchiveState,
} from './archive-pages.js';
import { ARCHIVE_STATE_PREFIX, archiveStateKey } from './build-scopes.js';
import { archiveOutputs, articleOutputs, articleSitemapOutput, sitemapIndexOutputs, siteOutputs, tagOutputs } from './build-outputs.js';
import type { LeftOut } from './left-out.js';
import { planPublish } from './plan.js';
import type { ManifestEntry, ManifestStore, ObjectStore } from './ports.js';
import type { PublishOptions } from './run-publish.js';
import { pendingEntries, writePhases } from './write-phases.js';

export const FINGERPRINT_KEY = '_pressrun/fingerprint';
/** Manifest entries that are not objects in the bucket: the fingerprint, archive states. */
export const INTERNAL_PREFIX = '_pressrun/';
/** Chunks built and written at once: enough to keep the writes busy, few enough to bound memory. */
const CHUNKS_IN_FLIGHT = 4;
/** Tag archive pages are three small feeds each: a chunk takes several. */
const TAG_PAGES_PER_CHUNK = 8;
/** How often, in objects written, the run hears how far the publish came. */
const PROGRESS_EVERY = 500;

export interface FullPublishInput {
  site: SiteConfig;
  /** The store as the publish reads it (without the articles left out). */
  articles: ArticleStore;
  objects: ObjectStore;
  manifest: ManifestStore;
  leftOut: LeftOut;
  now: Date;
  emptyUpdated: string;
  fingerprint: string;
  /** Object writes in flight at once, across every chunk. */
  concurrency: number;
  /** Asked for: write every object whatever the manifest says, and delete whatever the bucket holds that nothing claims. */
  rewrite: boolean;
  /** The digest pages, a few at a time, then the digest archive: written before the home page. */
  digestChunks: () => AsyncIterable<OutputObject[]>;
  onProgress?: PublishOptions['onProgress'];
}

export interface FullPublishResult {
  written: string[];
  unchanged: number;
  deleted: string[];
}

/** Every scope's archive after closing what filled up, from the archive keys of every article. */
interface Scopes {
  site: ArchiveState;
  tags: Map<string, ArchiveState>;
}

export async function publishEverything(input: FullPublishInput): Promise<FullPublishResult> {
  const writer = new ChunkWriter(input);
  await input.manifest.put(pendingEntries([FINGERPRINT_KEY]));
  let scopes = await onePass(input, writer);
  // An article the gate left out after the archive keys were read moved the pages' bounds: once
  // more, writing only what differs (the manifest now says what the first pass wrote).
  for (let pass = 2; scopes.stale; pass++) {
    if (pass > 3) throw new Error('the validation gate kept leaving articles out after writes began');
    writer.nextPass();
    scopes = await onePass(input, writer);
  }
  const manifest = await input.manifest.all();
  const deleted = await deleteUnclaimed(input, writer.produced, manifest);
  await storeArchiveStates(input.manifest, scopes, manifest);
  await input.manifest.put([{ key: FINGERPRINT_KEY, value: input.fingerprint }]);
  return { written: [...writer.written], unchanged: writer.unchanged, deleted };
}

async function onePass(input: FullPublishInput, writer: ChunkWriter): Promise<Scopes & { stale: boolean }> {
  let scopes = await closeArchives(input);
  while (await leavesOutBeforeWriting(input, scopes)) scopes = await closeArchives(input);
  const leftOutBefore = input.leftOut.size;
  const { site, tags } = scopes;
  const sitePages = range(site.bounds.length).map((page) => () => sitePageOutputs(input, site, page));
  await writeChunks(input, writer, [...sitePages, () => openRegionOutputs(input, site)]);
  const tagPages = [...tags].flatMap(([tag, state]) =>
    groups(range(state.bounds.length), TAG_PAGES_PER_CHUNK).map((pages) => async () => {
      const outputs: OutputObject[] = [];
      for (const page of pages) outputs.push(...(await tagPageOutputs(input, tag, state, page)));
      return outputs;
    }),
  );
  await writeChunks(input, writer, tagPages);
  await writeChunks(
    input,
    writer,
    [...tags].map(
      ([tag, state]) =>
        () =>
          tagTopOutputs(input, tag, state),
    ),
  );
  for await (const digests of input.digestChunks()) await writer.write(digests);
  await writeChunks(input, writer, [() => siteTopOutputs(input, scopes)]);
  return { ...scopes, stale: input.leftOut.size > leftOutBefore };
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

/** Builds and writes chunks, a few at a time; each passes the gate first (articles breaking a rule are left out and the chunk built again). */
async function writeChunks(input: FullPublishInput, writer: ChunkWriter, chunks: Array<() => Promise<OutputObject[]>>): Promise<void> {
  await mapWithConcurrency(chunks, CHUNKS_IN_FLIGHT, async (build) => writer.write(await gated(input, build)));
}

async function gated(input: FullPublishInput, build: () => Promise<OutputObject[]>): Promise<OutputObject[]> {
  const options = { site: input.site, now: input.now };
  const first = await build();
  const failures = feedFailures(first, options);
  if (failures.length === 0) return first;
  if (failures.some((f) => f.problem.slug === undefined)) throw feedError(failures);
  for (const { problem } of failures) input.leftOut.add(problem.slug!, `breaks ${problem.rule}: ${problem.message}`);
  const again = await build();
  const remaining = feedFailures(again, options);
  if (remaining.length > 0) throw feedError(remaining);
  return again;
}

/** Closed page `page` of the site's archive: its articles' pages, its feeds and its sitemap. */
async function sitePageOutputs(input: FullPublishInput, state: ArchiveState, page: number): Promise<OutputObject[]> {
  const articles = await articlesOfPage(input, undefined, state, page);
  return [
    ...articles.flatMap((article) => articleOutputs(input.site, article)),
    ...archiveOutputs(input.site, undefined, page, articles, state.bounds.length, input.emptyUpdated),
    articleSitemapOutput(input.site, page, articles),
  ];
}

/** The articles in no closed page yet: their pages and the latest sitemap. */
async function openRegionOutputs(input: FullPublishInput, state: ArchiveState): Promise<OutputObject[]> {
  const since = openSince(state);
  const from = openSinceInstant(state);
  const open = (await allInWindow(input.articles, { before: input.now, ...(from ? { after: from } : {}) })).filter(
    (article) => since === undefined || archiveKey(article) > since,
  );
  return [...open.flatMap((article) => articleOutputs(input.site, article)), articleSitemapOutput(input.site, 'latest', open)];
}

async function tagPageOutputs(input: FullPublishInput, tag: string, state: ArchiveState, page: number): Promise<OutputObject[]> {
  const articles = await articlesOfPage(input, tag, state, page);
  return archiveOutputs(input.site, tag, page, articles, state.bounds.length, input.emptyUpdated);
}

async function tagTopOutputs(input: FullPublishInput, tag: string, state: ArchiveState): Promise<OutputObject[]> {
  const latest = await input.articles.latest({ limit: input.site.feedItemLimit, before: input.now, tag });
  return tagOutputs(input.site, tag, latest, input.emptyUpdated, { newestPage: state.bounds.length });
}

async function siteTopOutputs(input: FullPublishInput, scopes: Scopes): Promise<OutputObject[]> {
  const latest = await input.articles.latest({ limit: input.site.feedItemLimit, before: input.now });
  return [
    ...siteOutputs(input.site, latest, input.emptyUpdated, { newestPage: scopes.site.bounds.length }),
    ...sitemapIndexOutputs(input.site, scopes.site.bounds.length, [...scopes.tags.keys()]),
  ];
}

async function articlesOfPage(input: FullPublishInput, tag: string | undefined, state: ArchiveState, page: number) {
  const window = archiveWindow(state, page);
  const query = { before: window.before, ...(window.after ? { after: window.after } : {}), ...(tag === undefined ? {} : { tag }) };
  return (await allInWindow(input.articles, query)).filter((article) => inWindow(window, article));
}

/** Compares each chunk with the manifest and writes what differs; remembers every key a pass produced. */
class ChunkWriter {
  produced = new Set<string>();
  readonly written = new Set<string>();
  unchanged = 0;
  private rewrite: boolean;
  private readonly put: (object: OutputObject) => Promise<void>;
  private planned = 0;
  private done = 0;
  private reported = 0;

  constructor(private readonly input: FullPublishInput) {
    this.rewrite = input.rewrite;
    const limit = limiter(input.concurrency);
    this.put = (object) => limit(() => input.objects.put(object));
  }

  /** A later pass compares with what the manifest says the first one wrote. */
  nextPass(): void {
    this.produced = new Set();
    this.unchanged = 0;
    this.rewrite = false;
  }

  async write(outputs: OutputObject[]): Promise<void> {
    for (const { key } of outputs) {
      if (this.produced.has(key)) throw new Error(`publish built ${key} twice`);
      this.produced.add(key);
    }
    const previous = this.rewrite ? new Map<string, string>() : await this.input.manifest.get(outputs.map((o) => o.key));
    const plan = planPublish(outputs, previous, []);
    this.unchanged += plan.unchanged;
    this.planned += plan.hashes.size;
    await writePhases(this.input.manifest, plan, this.put, { written: (count) => this.progress(count) });
    for (const key of plan.hashes.keys()) this.written.add(key);
  }

  private async progress(count: number): Promise<void> {
    this.done += count;
    if (!this.input.onProgress || (this.reported > 0 && this.done - this.reported < PROGRESS_EVERY)) return;
    this.reported = this.done;
    await this.input.onProgress({ written: this.done, planned: this.planned });
  }
}

/** Whatever the manifest (and, when asked for, the bucket) holds that this publish did not produce. */
async function deleteUnclaimed(input: FullPublishInput, produced: Set<string>, manifest: Map<string, string>): Promise<string[]> {
  const known = new Set([...manifest.keys()].filter((key) => !key.startsWith(INTERNAL_PREFIX)));
  if (input.rewrite) for await (const { key } of input.objects.list()) known.add(key);
  const deleted = [...known].filter((key) => !produced.has(key)).sort();
  if (deleted.length > 0) {
    await input.objects.delete(deleted);
    await input.manifest.delete(deleted);
  }
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

const range = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

function groups<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
