/**
 * The publish use case: load what changed, build the outputs it touches, write only what
 * differs from the manifest, delete what disappeared, and build a digest when new articles
 * arrived. Every step can be re-run after a crash: change markers are cleared last, the
 * manifest is updated after each write phase, and a digest id is derived from its articles.
 */
import { createHash } from 'node:crypto';
import type { Article, StoredArticle } from '../article.js';
import { limiter } from '../concurrency.js';
import type { ArticleStore, ChangeMarker } from '../content/ports.js';
import type { Digest, DigestStore } from '../digest/ports.js';
import { feedError, feedFailures } from '../feeds/validate/validate-feeds.js';
import type { OutputObject, SiteConfig } from '../site.js';
import { digestIndexOutput, digestPageOutput } from './build-outputs.js';
import { allInWindow, buildChanges, type Built } from './build-scopes.js';
import { FINGERPRINT_KEY, publishEverything, type FullPublishInput } from './full-publish.js';
import { LeftOut } from './left-out.js';
import { planPublish, type PublishPlan } from './plan.js';
import type { ManifestStore, ObjectStore, PublishReport, PublishRunStore, WebSubPublisher } from './ports.js';
import { pingHub } from './websub.js';
import { deleteObjects, writePhases } from './write-phases.js';

export interface PublishDeps {
  site: SiteConfig;
  articles: ArticleStore;
  objects: ObjectStore;
  manifest: ManifestStore;
  runs: Pick<PublishRunStore, 'lastSucceededAt' | 'setLastSucceededAt'>;
  digests: DigestStore;
  /** Renders a digest with the publisher's template; injected so templates are read at the edge. */
  renderDigest: (input: { id: string; createdAt: string; articles: Article[]; format?: 'summary' | 'full' }) => Promise<Digest>;
  /**
   * A hash of everything besides the articles that shapes the outputs (site settings,
   * templates, renderer version). When it changes, the next publish rebuilds everything.
   */
  fingerprint: string;
  /** Object writes in flight at once. */
  concurrency?: number;
  /**
   * Told which object keys this publish wrote and deleted, once they are all in place, so a
   * CDN can drop exactly those from its cache; `everything` when more changed than the lists
   * name (a fanned-out full publish's chunks list only some of their keys). Not called when
   * nothing changed.
   */
  invalidate?: (changed: { written: string[]; deleted: string[]; everything?: true }) => Promise<unknown>;
  /** Told which subscription feeds changed, when the site names a WebSub hub; its failures never fail a publish. */
  websub?: WebSubPublisher;
  /** Where a publish reports what went wrong without failing it (a WebSub hub that did not answer). */
  warn?: (message: string) => void;
  /**
   * Told about the digest this publish made, once everything is in place (the `publish`
   * digest cadence starts its send here). Its failure fails the run; the send can be started
   * again with POST /api/digests/{id}/send, which is idempotent.
   */
  onDigestCreated?: (digest: Digest) => Promise<unknown>;
}

export interface PublishOptions {
  now: Date;
  /** Rebuild every output instead of only what changed. */
  full?: boolean;
  /**
   * Whether this publish may make a digest of the articles that arrived since the last one
   * (default true). With a scheduled digest cadence only the scheduled publish does, so the
   * articles of a day's publishes meet in one digest.
   */
  digest?: boolean;
  /** Milliseconds from an arbitrary origin, for the report's duration. */
  timer: () => number;
  /** Told after each phase of writes how many objects are written of those planned (the run records it). */
  onProgress?: (progress: { written: number; planned: number }) => Promise<void>;
}

/** A site with no articles still has valid feeds; their date must not be "now" or they would change on every publish. */
export const EMPTY_SITE_UPDATED = '2025-01-01T00:00:00.000Z';

export async function runPublish(deps: PublishDeps, options: PublishOptions): Promise<PublishReport> {
  const started = options.timer();
  const state = await readState(deps, options);
  const context = publishContext(deps, state, options);
  const result = state.full
    ? await publishEverything(context.fullInput(options.full === true, options.onProgress))
    : await publishChanges(deps, { ...state, lastAt: state.lastAt!, now: options.now }, context, options.onProgress);
  return { ...(await concludePublish(deps, context, state, result)), durationMs: Math.round(options.timer() - started) };
}

export type PublishState = Awaited<ReturnType<typeof readState>>;

/** What a publish shares from its start to its end (which a fanned-out one reaches in another invocation). */
export interface PublishContext {
  now: Date;
  leftOut: LeftOut;
  /** The store without the articles left out. */
  articles: ArticleStore;
  /** The digest work, done once, after the gate has had its say (an article it left out is in no digest). */
  digest: () => Promise<DigestWork>;
  fullInput(rewrite: boolean, onProgress?: PublishOptions['onProgress']): Omit<FullPublishInput, 'stamp'>;
}

export function publishContext(
  deps: PublishDeps,
  state: Pick<PublishState, 'full' | 'lastAt'>,
  options: { now: Date; digest?: boolean; leftOut?: Array<{ slug: string; reason: string }> },
): PublishContext {
  const now = options.now;
  const leftOut = new LeftOut(now);
  for (const { slug, reason } of options.leftOut ?? []) leftOut.add(slug, reason);
  const articles = leftOut.view(deps.articles);
  let work: Promise<DigestWork> | undefined;
  const digest = () => (work ??= prepareDigest({ ...deps, articles }, now, state, options.digest ?? true));
  const fullInput = (rewrite: boolean, onProgress?: PublishOptions['onProgress']): Omit<FullPublishInput, 'stamp'> => ({
    ...deps,
    articles,
    leftOut,
    now,
    emptyUpdated: EMPTY_SITE_UPDATED,
    concurrency: deps.concurrency ?? 16,
    rewrite,
    digestChunks: async function* () {
      const done = await digest();
      for (let i = 0; i < done.pages.length; i += DIGEST_PAGES_PER_CHUNK)
        yield await digestPages(deps, done, done.pages.slice(i, i + DIGEST_PAGES_PER_CHUNK));
      if (done.index) yield [done.index];
    },
    ...(onProgress ? { onProgress } : {}),
  });
  return { now, leftOut, articles, digest, fullInput };
}

/**
 * Once every object is in place: the change markers read at the start are cleared, the CDN and
 * the WebSub hub told, digests announced, and the publish recorded as succeeded.
 */
export async function concludePublish(
  deps: PublishDeps,
  context: PublishContext,
  state: Pick<PublishState, 'full' | 'markers'>,
  result: Pick<PublishReport, 'written' | 'unchanged' | 'deleted' | 'listed'>,
): Promise<Omit<PublishReport, 'durationMs'>> {
  const work = await context.digest();
  await deps.articles.clearChanges(state.markers);
  const websub = await tellTheOutside(deps, result);
  // Every digest made by a publish that crashed before this point is announced by the next one
  // that gets here, oldest first, even when that one made a digest of its own: the hook's work
  // (starting a send) is idempotent, a lost announcement is not.
  if (deps.onDigestCreated) for (const unannounced of await work.unannounced()) await deps.onDigestCreated(unannounced);
  // Last: a run that failed before here leaves the window of due articles and unannounced digests open.
  await deps.runs.setLastSucceededAt(context.now.toISOString());
  return {
    full: state.full,
    written: result.written,
    unchanged: result.unchanged,
    deleted: result.deleted,
    ...(result.listed ? { listed: result.listed } : {}),
    ...(work.created ? { digest: digestSummary(work.created, work.candidates) } : {}),
    ...(websub ? { websub } : {}),
    ...(context.leftOut.size > 0 ? { leftOut: context.leftOut.list() } : {}),
  };
}

/** An incremental publish: what the changes touch, built whole (it is small), through the gate, then written. */
async function publishChanges(
  deps: PublishDeps,
  run: { markers: ChangeMarker[]; lastAt: string; now: Date },
  context: PublishContext,
  onProgress: PublishOptions['onProgress'],
): Promise<{ written: string[]; unchanged: number; deleted: string[] }> {
  const built = await buildPassingTheGate(deps, run, context.articles, context.leftOut);
  const work = await context.digest();
  const outputs = [...built.outputs, ...(await digestPages(deps, work, work.pages)), ...(work.index ? [work.index] : [])];
  const previous = await deps.manifest.get([...outputs.map((o) => o.key), ...built.deleteCandidates]);
  const plan = planPublish(outputs, previous, built.deleteCandidates);
  await write(deps, plan, built, onProgress);
  return { written: plan.phases.flat().map((o) => o.key), unchanged: plan.unchanged, deleted: plan.deletes };
}

/**
 * What changed touches, through the gate: a feed that breaks a rule stops the publish before
 * its first write, unless the rule is broken by articles, which are then left out (named in the
 * report) and the outputs built again without them.
 */
async function buildPassingTheGate(
  deps: PublishDeps,
  run: { markers: ChangeMarker[]; lastAt: string; now: Date },
  articles: ArticleStore,
  leftOut: LeftOut,
): Promise<Built> {
  const context = { site: deps.site, articles, now: run.now, emptyUpdated: EMPTY_SITE_UPDATED };
  const build = () => buildChanges(context, run.markers, run.lastAt, deps.manifest);
  const first = await build();
  const failures = feedFailures(first.outputs, { site: deps.site, now: run.now });
  if (failures.length === 0) return first;
  if (failures.some((f) => f.problem.slug === undefined)) throw feedError(failures);
  for (const { problem } of failures) leftOut.add(problem.slug!, `breaks ${problem.rule}: ${problem.message}`);
  const again = await build();
  const remaining = feedFailures(again.outputs, { site: deps.site, now: run.now });
  if (remaining.length > 0) throw feedError(remaining);
  return again;
}

/** What changed since the last publish, and whether everything must be rebuilt (asked for, first publish, settings changed). */
export async function readState(deps: PublishDeps, options: PublishOptions) {
  const markers = await deps.articles.pendingChanges();
  const [lastAt, storedFingerprint] = await Promise.all([
    deps.runs.lastSucceededAt(),
    deps.manifest.get([FINGERPRINT_KEY]).then((m) => m.get(FINGERPRINT_KEY)),
  ]);
  const full = options.full === true || lastAt === undefined || storedFingerprint !== deps.fingerprint;
  return { markers, lastAt, storedFingerprint, full };
}

/** Writes each phase (manifest never ahead of the bucket: write-phases.ts), deletes what went away, and stores the archive states. */
async function write(deps: PublishDeps, plan: PublishPlan, built: Built, onProgress: PublishOptions['onProgress']): Promise<void> {
  const planned = plan.phases.reduce((n, phase) => n + phase.length, 0);
  let written = 0;
  const limit = limiter(deps.concurrency ?? 16);
  await writePhases(deps.manifest, plan, (object) => limit(() => deps.objects.put(object)), {
    written: async (count) => {
      written += count;
      await onProgress?.({ written, planned });
    },
  });
  await deleteObjects(deps.manifest, deps.objects, plan.deletes);
  if (built.states.length > 0) await deps.manifest.put(built.states);
  if (built.dropStates.length > 0) await deps.manifest.delete(built.dropStates);
}

/**
 * The CDN drops what changed from its cache (everything, when more changed than the lists
 * hold); the WebSub hub hears which feeds changed (its failure never fails the publish).
 */
async function tellTheOutside(deps: PublishDeps, { written, deleted, listed }: Pick<PublishReport, 'written' | 'deleted' | 'listed'>) {
  if (deps.invalidate && listed) await deps.invalidate({ written, deleted, everything: true });
  else if (deps.invalidate && (written.length > 0 || deleted.length > 0)) await deps.invalidate({ written, deleted });
  return deps.websub && deps.site.websubHub !== undefined ? pingHub(deps.websub, deps.site, written, deps.warn) : undefined;
}

/** The digest a publish made; `carriedOver` counts the new articles it had no room for, which the next digest carries. */
const digestSummary = (digest: Digest, candidates: number) => ({
  id: digest.id,
  articles: digest.articleSlugs.length,
  htmlBytes: Buffer.byteLength(digest.html),
  ...(candidates > digest.articleSlugs.length ? { carriedOver: candidates - digest.articleSlugs.length } : {}),
});

/** The digest pages a publish writes, a few at a time on a full publish (an archive of digests is large). */
const DIGEST_PAGES_PER_CHUNK = 20;

/**
 * What a publish does about digests: the one it made (if any), the pages to write and the
 * archive page, and the digests to announce.
 */
export interface DigestWork {
  created?: Digest;
  candidates: number;
  /** The ids of the digests whose pages this publish writes. */
  pages: string[];
  index?: OutputObject;
  /** Digests made since the last publish that succeeded, oldest first: their sends start (again) once everything is in place. */
  unannounced: () => Promise<Digest[]>;
}

/**
 * A digest holds the articles placed since the previous digest's cutoff, as many as fit (the
 * rest wait for the next one). Its id is derived from its articles, so a publish re-run after
 * a crash finds it instead of making a second one; the pages of the newest digest and of every
 * digest made since the last publish that succeeded are written (all of them on a full
 * publish), so a crash between storing a digest and writing its page is mended by the next publish.
 */
async function prepareDigest(
  deps: PublishDeps,
  now: Date,
  since: { full: boolean; lastAt: string | undefined },
  makeDigest: boolean,
): Promise<DigestWork> {
  const { site, digests } = deps;
  const fresh = makeDigest ? await digestCandidates(deps, now) : [];
  let created: Digest | undefined;
  if (fresh.length > 0) {
    const id = digestId(now, fresh);
    created =
      (await digests.get(id)) ?? (await digests.create(await deps.renderDigest({ id, createdAt: now.toISOString(), articles: fresh })));
  }
  const newest = created ?? (await digests.latest());
  if (!newest) return { candidates: fresh.length, pages: [], unannounced: async () => [] };
  const archive = await digests.list();
  const sinceLast = (entry: { createdAt: string }) => since.lastAt === undefined || entry.createdAt > since.lastAt;
  const pages = archive.filter((entry) => since.full || entry.id === newest.id || sinceLast(entry)).map((entry) => entry.id);
  const load = (id: string) => (id === newest.id ? Promise.resolve(newest) : digests.get(id));
  const unannounced = async () => {
    if (since.lastAt === undefined) return [newest];
    const ids = archive.filter((entry) => sinceLast(entry)).sort((a, b) => (a.cutoff < b.cutoff ? -1 : 1));
    return (await Promise.all(ids.map((entry) => load(entry.id)))).filter((d): d is Digest => d !== undefined);
  };
  return {
    candidates: fresh.length,
    pages,
    index: digestIndexOutput(site, archive),
    unannounced,
    ...(created ? { created, newest } : { newest }),
  };
}

/** The web versions of these digests (one the archive lists but the store lost is skipped). */
async function digestPages(deps: Pick<PublishDeps, 'site' | 'digests'>, work: DigestWork & { newest?: Digest }, ids: string[]) {
  const found = await Promise.all(ids.map((id) => (id === work.newest?.id ? work.newest : deps.digests.get(id))));
  return found.filter((d): d is Digest => d !== undefined).map((d) => digestPageOutput(deps.site, d));
}

/**
 * The articles the next digest would hold, newest placed first: every article placed after the
 * previous digest's cutoff and at or before `now`, however many, except those a digest carried
 * before (an edit may move an article's date, and so its place, past a later cutoff). The
 * first digest, with none before it, holds the newest `digestArticleLimit`: the archive from
 * before the digest began is not mailed.
 */
export async function digestCandidates(deps: Pick<PublishDeps, 'site' | 'articles' | 'digests'>, now: Date): Promise<StoredArticle[]> {
  const previous = await deps.digests.list();
  const last = previous[0];
  const mailable = (article: StoredArticle) => article.email !== false;
  if (!last) return (await deps.articles.latest({ limit: deps.site.digestArticleLimit, before: now })).filter(mailable);
  const mailed = new Set(previous.flatMap((digest) => digest.articleIds ?? []));
  const placed = await allInWindow(deps.articles, { after: new Date(last.cutoff), before: now });
  return placed.filter((article) => mailable(article) && !mailed.has(article.id));
}

export function digestId(now: Date, articles: Array<Pick<Article, 'id'>>): string {
  const hash = createHash('sha256')
    .update(articles.map((a) => a.id).join('\n'))
    .digest('hex')
    .slice(0, 8);
  return `${now.toISOString().slice(0, 10)}-${hash}`;
}
