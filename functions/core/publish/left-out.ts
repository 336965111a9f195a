/**
 * Articles a publish leaves out, and why. One that breaks a rule of the feeds (stored before
 * the rule was checked where articles are written, or failing the gate) must not stop the
 * others: it is left out of every output, named in the run's report with the rule, and its
 * page is taken down until it is fixed (a fix is a write, which the next publish picks up).
 */
import { isPublished, placedAt, type ArticleHead, type StoredArticle } from '../article.js';
import type { ArticleStore } from '../content/ports.js';
import { implausibleDate } from '../content/dates.js';
import { articleProblems } from '../feeds/check-feed-input.js';

export class LeftOut {
  private readonly why = new Map<string, string>();

  constructor(private readonly now: Date) {}

  /** Leaves an article out from now on; the first reason given is the one reported. */
  add(slug: string, reason: string): void {
    if (!this.why.has(slug)) this.why.set(slug, reason);
  }

  get size(): number {
    return this.why.size;
  }

  list(): Array<{ slug: string; reason: string }> {
    return [...this.why].map(([slug, reason]) => ({ slug, reason })).sort((a, b) => (a.slug < b.slug ? -1 : 1));
  }

  /** The store as a publish reads it: without the articles left out, and without any that cannot be in a feed. */
  view(store: ArticleStore): ArticleStore {
    const admitted = (article: ArticleHead) => this.admits(article);
    return Object.assign(Object.create(store) as ArticleStore, {
      get: async (slug: string) => {
        const article = await store.get(slug);
        return article && admitted(article) ? article : undefined;
      },
      latest: (options: Parameters<ArticleStore['latest']>[0]) => latestAdmitted(store, options, admitted),
      allPublished: async function* (before: Date) {
        for await (const page of store.allPublished(before)) yield page.filter(admitted);
      },
    });
  }

  private admits(article: ArticleHead): boolean {
    if (this.why.has(article.slug)) return false;
    if (!isPublished(article, this.now)) return true;
    const problems = articleProblems(article).map((p) => `${p.field.replace(/^\./, '')} ${p.message}`);
    const updated = implausibleDate(new Date(article.updated), this.now);
    if (updated) problems.push(`updated "${article.updated}" ${updated === 'too-late' ? 'is after the publish' : 'is before 1995'}`);
    if (problems.length === 0) return true;
    this.add(article.slug, problems.join('; '));
    return false;
  }
}

/** ArticleStore.latest without the articles left out, still `limit` of them when the store has that many. */
async function latestAdmitted(
  store: ArticleStore,
  options: Parameters<ArticleStore['latest']>[0],
  admitted: (article: StoredArticle) => boolean,
): Promise<StoredArticle[]> {
  const found: StoredArticle[] = [];
  let before = options.before;
  const seen = new Set<string>();
  for (;;) {
    const page = await store.latest({ ...options, before });
    for (const article of page) if (!seen.has(article.slug) && seen.add(article.slug) && admitted(article)) found.push(article);
    if (found.length >= options.limit || page.length < options.limit) return found.slice(0, options.limit);
    // Articles placed at the same instant straddle pages: the next page starts at that instant, and `seen` drops repeats.
    const last = new Date(placedAt(page[page.length - 1]!));
    if (last.getTime() === before.getTime() && page.every((a) => seen.has(a.slug))) return found;
    before = last;
  }
}
