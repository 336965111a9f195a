/**
 * The publish use case: load what changed, build the outputs it touches, write only what
 * differs from the manifest, delete what disappeared, and build a digest when new articles
 * arrived. Every step can be re-run after a crash: change markers are cleared last, the
 * manifest is updated after each write phase, and a digest id is derived from its articles.
 */
import { createHash } from 'node:crypto';
import type { Article, StoredArticle } from '../article.js';
import { mapWithConcurrency } from '../concurrency.js';
import { feedError, feedFailures } from '../feeds/validate/validate-feeds.js';
import { LeftOut } from './left-out.js';
import type { ArticleStore } from '../content/ports.js';
import type { Digest, DigestStore } from '../digest/ports.js';
import type { ManifestStore, ObjectStore, PublishReport, PublishRunStore, WebSubPublisher } from './ports.js';
import type { OutputObject } from '../site.js';
import type { SiteConfig } from '../site.js';
import { MANIFEST_PENDING } from './pages-shown.js';
import { digestIndexOutput, digestPageOutput } from './build-outputs.js';
import { allInWindow, buildChanges, buildEverything, type Built } from './build-scopes.js';
import { planPublish, type PublishPlan } from './plan.js';
import { pingHub } from './websub.js';

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
   * CDN can drop exactly those from its cache. Not called when nothing changed.
   */
  invalidate?: (changed: { written: string[]; deleted: string[] }) => Promise<unknown>;
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
const FINGERPRINT_KEY = '_pressrun/fingerprint';
const PENDING = MANIFEST_PENDING;
/** Manifest entries that are not objects in the bucket: the fingerprint, archive states. */
const INTERNAL_PREFIX = '_pressrun/';

export async function runPublish(deps: PublishDeps, options: PublishOptions): Promise<PublishReport> {
  const started = options.timer();
  const now = options.now;
  const state = await readState(deps, options);
  const leftOut = new LeftOut(now);
  const articles = leftOut.view(deps.articles);
  const everything = state.full ? await deps.manifest.all() : undefined;
  const built = await buildPassingTheGate(deps, { ...state, now, everything }, articles, leftOut);
  const digest = await buildDigest({ ...deps, articles }, now, state, options.digest ?? true);
  const outputs = [...built.outputs, ...digest.outputs];
  const plan = options.full
    ? await planRewrite(deps, outputs, everything!)
    : await planWrites(deps, outputs, built.deleteCandidates, everything);
  await write(deps, plan, built, state.full, options.onProgress);
  await deps.articles.clearChanges(state.markers);
  const written = plan.phases.flat().map((o) => o.key);
  const websub = await tellTheOutside(deps, written, plan.deletes);
  // Every digest made by a publish that crashed before this point is announced by the next one
  // that gets here, oldest first, even when that one made a digest of its own: the hook's work
  // (starting a send) is idempotent, a lost announcement is not.
  if (deps.onDigestCreated) for (const unannounced of digest.unannounced) await deps.onDigestCreated(unannounced);
  // Last: a run that failed before here leaves the window of due articles and unannounced digests open.
  await deps.runs.setLastSucceededAt(now.toISOString());
  return {
    full: state.full,
    written,
    unchanged: plan.unchanged,
    deleted: plan.deletes,
    ...(digest.created ? { digest: digestSummary(digest.created, digest.candidates) } : {}),
    ...(websub ? { websub } : {}),
    ...(leftOut.size > 0 ? { leftOut: leftOut.list() } : {}),
    durationMs: Math.round(options.timer() - started),
  };
}

/**
 * The outputs, through the gate: a feed that breaks a rule stops the publish before its first
 * write, unless the rule is broken by articles, which are then left out (named in the report)
 * and the outputs built again without them.
 */
async function buildPassingTheGate(
  deps: PublishDeps,
  run: Awaited<ReturnType<typeof readState>> & { now: Date; everything: Map<string, string> | undefined },
  articles: ArticleStore,
  leftOut: LeftOut,
): Promise<Built> {
  const context = { site: deps.site, articles, now: run.now, emptyUpdated: EMPTY_SITE_UPDATED };
  const build = () =>
    run.everything ? buildEverything(context, run.everything) : buildChanges(context, run.markers, run.lastAt!, deps.manifest);
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
async function readState(deps: PublishDeps, options: PublishOptions) {
  const markers = await deps.articles.pendingChanges();
  const [lastAt, storedFingerprint] = await Promise.all([
    deps.runs.lastSucceededAt(),
    deps.manifest.get([FINGERPRINT_KEY]).then((m) => m.get(FINGERPRINT_KEY)),
  ]);
  const full = options.full === true || lastAt === undefined || storedFingerprint !== deps.fingerprint;
  return { markers, lastAt, storedFingerprint, full };
}

/** The outputs against the manifest: what to write, in which order, and what to delete (on a full publish, whatever no output claims). */
async function planWrites(
  deps: PublishDeps,
  outputs: OutputObject[],
  deleteCandidates: string[],
  everything: Map<string, string> | undefined,
) {
  const previous = everything ?? (await deps.manifest.get([...outputs.map((o) => o.key), ...deleteCandidates]));
  const candidates = everything ? [...previous.keys()].filter((key) => !key.startsWith(INTERNAL_PREFIX)) : deleteCandidates;
  return planPublish(outputs, previous, candidates);
}

/**
 * A full publish asked for makes every object right, whatever the manifest says: it writes
 * every output and deletes every object of the bucket (and every manifest entry) no output
 * claims, as if nothing were known about what is there.
 */
async function planRewrite(deps: PublishDeps, outputs: OutputObject[], manifest: Map<string, string>) {
  const known = new Map<string, string>();
  for (const key of manifest.keys()) if (!key.startsWith(INTERNAL_PREFIX)) known.set(key, PENDING);
  for await (const { key } of deps.objects.list()) known.set(key, PENDING);
  return planPublish(outputs, known, known.keys());
}

/**
 * Writes each phase, deletes what went away, and stores the archive states and fingerprint.
 * The manifest says what the bucket holds, so it never runs ahead of the bucket: an object
 * about to change is marked PENDING first and gets its hash once written, and a full publish
 * marks the fingerprint PENDING until it is done. A crash anywhere leaves marks that match no
 * build, so the next publish rewrites (or deletes) everything the crashed one may have touched.
 */
async function write(
  deps: PublishDeps,
  plan: PublishPlan,
  built: Built,
  full: boolean,
  onProgress: PublishOptions['onProgress'],
): Promise<void> {
  const concurrency = deps.concurrency ?? 16;
  const planned = plan.phases.reduce((n, phase) => n + phase.length, 0);
  let written = 0;
  const pending = (keys: string[]) => keys.map((key) => ({ key, value: PENDING }));
  const [first, ...rest] = [...plan.phases.map((phase) => phase.map((o) => o.key)), plan.deletes];
  await deps.manifest.put([...(full ? pending([FINGERPRINT_KEY]) : []), ...pending(first!)]);
  for (const [i, phase] of plan.phases.entries()) {
    await mapWithConcurrency(phase, concurrency, (object) => deps.objects.put(object));
    // Recorded with the next phase's marks: one manifest write per phase.
    await deps.manifest.put([...phase.map((o) => ({ key: o.key, value: plan.hashes.get(o.key)! })), ...pending(rest[i]!)]);
    written += phase.length;
    if (onProgress && phase.length > 0) await onProgress({ written, planned });
  }
  if (plan.deletes.length > 0) {
    await deps.objects.delete(plan.deletes);
    await deps.manifest.delete(plan.deletes);
  }
  if (built.states.length > 0) await deps.manifest.put(built.states);
  if (built.dropStates.length > 0) await deps.manifest.delete(built.dropStates);
  if (full) await deps.manifest.put([{ key: FINGERPRINT_KEY, value: deps.fingerprint }]);
}

/** The CDN drops what changed from its cache; the WebSub hub hears which feeds changed (its failure never fails the publish). */
async function tellTheOutside(deps: PublishDeps, written: string[], deleted: string[]) {
  if (deps.invalidate && (written.length > 0 || deleted.length > 0)) await deps.invalidate({ written, deleted });
  return deps.websub && deps.site.websubHub !== undefined ? pingHub(deps.websub, deps.site, written, deps.warn) : undefined;
}

/** The digest a publish made; `carriedOver` counts the new articles it had no room for, which the next digest carries. */
const digestSummary = (digest: Digest, candidates: number) => ({
  id: digest.id,
  articles: digest.articleSlugs.length,
  htmlBytes: Buffer.byteLength(digest.html),
  ...(candidates > digest.articleSlugs.length ? { carriedOver: candidates - digest.articleSlugs.length } : {}),
});

/**
 * A digest holds the articles placed since the previous digest's cutoff, as many as fit (the
 * rest wait for the next one). Its id is
 * derived from its articles, so a publish re-run after a crash finds it instead of making
 * a second one; the pages of the newest digest and of every digest made since the last
 * publish that succeeded are among the outputs, so a crash between storing a digest and
 * writing its page is mended by the next publish.
 */
async function buildDigest(
  deps: PublishDeps,
  now: Date,
  since: { full: boolean; lastAt: string | undefined },
  makeDigest: boolean,
): Promise<{ outputs: OutputObject[]; created?: Digest; candidates: number; newest?: Digest; unannounced: Digest[] }> {
  const { site, digests } = deps;
  const fresh = makeDigest ? await digestCandidates(deps, now) : [];
  let created: Digest | undefined;
  if (fresh.length > 0) {
    const id = digestId(now, fresh);
    created =
      (await digests.get(id)) ?? (await digests.create(await deps.renderDigest({ id, createdAt: now.toISOString(), articles: fresh })));
  }
  const newest = created ?? (await digests.latest());
  if (!newest) return { outputs: [], candidates: fresh.length, unannounced: [] };
  const archive = await digests.list();
  // Every digest made since the last publish that succeeded: one stored by a run that crashed
  // before writing its page gets its page now, even when a newer digest came since.
  const wanted = archive.filter(
    (entry) => since.full || entry.id === newest.id || since.lastAt === undefined || entry.createdAt > since.lastAt,
  );
  const pages = await Promise.all(wanted.map((entry) => (entry.id === newest.id ? newest : digests.get(entry.id))));
  const made = pages.filter((d): d is Digest => d !== undefined);
  const outputs = made.map((d) => digestPageOutput(site, d));
  outputs.push(digestIndexOutput(site, archive));
  const unannounced =
    since.lastAt === undefined ? [newest] : made.filter((d) => d.createdAt > since.lastAt!).sort((a, b) => (a.cutoff < b.cutoff ? -1 : 1));
  return { outputs, newest, candidates: fresh.length, unannounced, ...(created ? { created } : {}) };
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
