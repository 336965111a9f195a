/**
 * The publish use case: load what changed, build the outputs it touches, write only what
 * differs from the manifest, delete what disappeared, and build a digest when new articles
 * arrived. Every step can be re-run after a crash: change markers are cleared last, the
 * manifest is updated after each write phase, and a digest id is derived from its articles.
 */
import { createHash } from 'node:crypto';
import { isPublished, type Article, type StoredArticle } from '../article.js';
import { forEachLimit } from '../concurrency.js';
import type { ArticleStore, Digest, DigestStore, ManifestStore, ObjectStore, OutputObject, PublishReport, PublishRunStore } from '../ports.js';
import { paths, type SiteConfig } from '../site.js';
import { articleOutputs, digestIndexOutput, digestPageOutput, siteOutputs, tagOutputKeys, tagOutputs } from './build-outputs.js';
import { planPublish } from './plan.js';

export interface PublishDeps {
  site: SiteConfig;
  articles: ArticleStore;
  objects: ObjectStore;
  manifest: ManifestStore;
  runs: Pick<PublishRunStore, 'lastSucceededAt' | 'setLastSucceededAt'>;
  digests: DigestStore;
  /** Renders a digest with the publisher's template; injected so templates are read at the edge. */
  renderDigest: (input: { id: string; createdAt: string; articles: Article[] }) => Promise<Digest>;
  /**
   * A hash of everything besides the articles that shapes the outputs (site settings,
   * templates, renderer version). When it changes, the next publish rebuilds everything.
   */
  fingerprint: string;
  /** Object writes in flight at once. */
  concurrency?: number;
}

export interface PublishOptions {
  now: Date;
  /** Rebuild every output instead of only what changed. */
  full?: boolean;
  /** Milliseconds from an arbitrary origin, for the report's duration. */
  timer: () => number;
}

/** A site with no articles still has valid feeds; their date must not be "now" or they would change on every publish. */
export const EMPTY_SITE_UPDATED = '2025-01-01T00:00:00.000Z';
const FINGERPRINT_KEY = '_pressrun/fingerprint';
/** Articles that became due (scheduled in the future, now reached) between two publishes. */
const DUE_LIMIT = 1000;

export async function runPublish(deps: PublishDeps, options: PublishOptions): Promise<PublishReport> {
  const started = options.timer();
  const { articles, now } = { articles: deps.articles, now: options.now };
  const markers = await articles.pendingChanges();
  const [lastAt, storedFingerprint] = await Promise.all([
    deps.runs.lastSucceededAt(),
    deps.manifest.get([FINGERPRINT_KEY]).then((m) => m.get(FINGERPRINT_KEY)),
  ]);
  const full = options.full === true || lastAt === undefined || storedFingerprint !== deps.fingerprint;

  const built = full ? await buildEverything(deps, now) : await buildChanges(deps, now, markers, lastAt);
  const digest = await buildDigest(deps, now, full);
  const outputs = [...built.outputs, ...digest.outputs];

  const previous = full
    ? await deps.manifest.all()
    : await deps.manifest.get([...outputs.map((o) => o.key), ...built.deleteCandidates]);
  const candidates = full ? [...previous.keys()].filter((key) => key !== FINGERPRINT_KEY) : built.deleteCandidates;
  const plan = planPublish(outputs, previous, candidates);

  const concurrency = deps.concurrency ?? 16;
  for (const phase of plan.phases) {
    await forEachLimit(phase, concurrency, (object) => deps.objects.put(object));
    await deps.manifest.put(phase.map((o) => ({ key: o.key, hash: plan.hashes.get(o.key)! })));
  }
  if (plan.deletes.length > 0) {
    await deps.objects.delete(plan.deletes);
    await deps.manifest.delete(plan.deletes);
  }
  if (storedFingerprint !== deps.fingerprint) await deps.manifest.put([{ key: FINGERPRINT_KEY, hash: deps.fingerprint }]);
  await articles.clearChanges(markers);
  await deps.runs.setLastSucceededAt(now.toISOString());

  return {
    full,
    written: plan.phases.flat().map((o) => o.key),
    unchanged: plan.unchanged,
    deleted: plan.deletes,
    ...(digest.created ? { digest: { id: digest.created.id, articles: digest.created.articleSlugs.length, htmlBytes: Buffer.byteLength(digest.created.html) } } : {}),
    durationMs: Math.round(options.timer() - started),
  };
}

interface Built {
  outputs: OutputObject[];
  deleteCandidates: string[];
}

async function buildEverything(deps: PublishDeps, now: Date): Promise<Built> {
  const { site } = deps;
  const all: StoredArticle[] = [];
  for await (const page of deps.articles.allPublished(now)) all.push(...page);
  const byTag = new Map<string, Article[]>();
  for (const article of all) {
    for (const tag of article.tags) {
      const list = byTag.get(tag) ?? byTag.set(tag, []).get(tag)!;
      if (list.length < site.feedItemLimit) list.push(article);
    }
  }
  const outputs = all.flatMap((article) => articleOutputs(site, article));
  for (const [tag, latest] of byTag) outputs.push(...tagOutputs(site, tag, latest, EMPTY_SITE_UPDATED));
  outputs.push(...siteOutputs(site, all.slice(0, site.feedItemLimit), EMPTY_SITE_UPDATED));
  return { outputs, deleteCandidates: [] };
}

async function buildChanges(deps: PublishDeps, now: Date, markers: Array<{ slug: string; tags: string[] }>, lastAt: string): Promise<Built> {
  const { site, articles } = deps;
  const due = await articles.latest({ limit: DUE_LIMIT, after: new Date(lastAt), before: now });
  const slugs = [...new Set([...markers.map((m) => m.slug), ...due.map((a) => a.slug)])];
  const tags = new Set([...markers, ...due].flatMap((m) => m.tags));
  const outputs: OutputObject[] = [];
  const deleteCandidates: string[] = [];

  const changed = await Promise.all(slugs.map((slug) => articles.get(slug)));
  slugs.forEach((slug, i) => {
    const article = changed[i];
    if (article && isPublished(article, now)) {
      outputs.push(...articleOutputs(site, article));
      article.tags.forEach((tag) => tags.add(tag));
    } else {
      deleteCandidates.push(paths.articlePage(slug));
    }
  });

  const [latest, ...perTag] = await Promise.all([
    articles.latest({ limit: site.feedItemLimit, before: now }),
    ...[...tags].map((tag) => articles.latest({ limit: site.feedItemLimit, before: now, tag })),
  ]);
  [...tags].forEach((tag, i) => {
    const tagged = perTag[i]!;
    if (tagged.length > 0) outputs.push(...tagOutputs(site, tag, tagged, EMPTY_SITE_UPDATED));
    else deleteCandidates.push(...tagOutputKeys(tag));
  });
  outputs.push(...siteOutputs(site, latest!, EMPTY_SITE_UPDATED));
  return { outputs, deleteCandidates };
}

/**
 * A digest holds the articles published since the previous digest's cutoff. Its id is
 * derived from its articles, so a publish re-run after a crash finds it instead of making
 * a second one; the newest digest's page is always among the outputs, so a crash between
 * storing a digest and writing its page is mended by the next publish.
 */
async function buildDigest(deps: PublishDeps, now: Date, full: boolean): Promise<{ outputs: OutputObject[]; created?: Digest }> {
  const { site, digests } = deps;
  const fresh = await digestCandidates(deps, now);
  let created: Digest | undefined;
  if (fresh.length > 0) {
    const id = digestId(now, fresh);
    created = (await digests.get(id)) ?? (await digests.create(await deps.renderDigest({ id, createdAt: now.toISOString(), articles: fresh })));
  }
  const newest = created ?? (await digests.latest());
  if (!newest) return { outputs: [] };
  const archive = await digests.list();
  const pages = full ? await Promise.all(archive.map((entry) => (entry.id === newest.id ? newest : digests.get(entry.id)))) : [newest];
  const outputs = pages.filter((d): d is Digest => d !== undefined).map((d) => digestPageOutput(site, d));
  outputs.push(digestIndexOutput(site, archive));
  return { outputs, ...(created ? { created } : {}) };
}

/** The articles the next digest would hold: published after the previous digest's cutoff, newest first. */
export async function digestCandidates(deps: Pick<PublishDeps, 'site' | 'articles' | 'digests'>, now: Date): Promise<StoredArticle[]> {
  const last = await deps.digests.latest();
  return deps.articles.latest({
    limit: deps.site.digestArticleLimit,
    before: now,
    ...(last ? { after: new Date(last.cutoff) } : {}),
  });
}

export function digestId(now: Date, articles: Array<Pick<Article, 'id'>>): string {
  const hash = createHash('sha256')
    .update(articles.map((a) => a.id).join('\n'))
    .digest('hex')
    .slice(0, 8);
  return `${now.toISOString().slice(0, 10)}-${hash}`;
}
