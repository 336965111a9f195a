/**
 * Planning who gets which email in a send. Two kinds of send:
 *
 *   a digest's send   the readers on the site's digest cadence; the email of a reader whose
 *                     window holds exactly the digest's articles is the digest itself
 *   a round           (id `round-…`) the readers on the per-article, daily and weekly cadences
 *                     who are due at its instant
 *
 * Each reader's email holds their window's articles that match their topics (reader-windows.ts).
 * Readers whose emails hold the same articles in the same format share one content, rendered
 * (MJML compiled) once; a reader with nothing due gets no email and keeps their mark. For each
 * page of readers, in this order, so a crash at any step re-plans the same emails:
 *
 *   offer     record where each carried article was placed, unless recorded before
 *   mark      move each planned reader's mark past their window, naming this send
 *   recipients  hand the planned readers, each with their content, to the snapshot's batches
 */
import { placedAt, type Article, type StoredArticle } from '../article.js';
import { allInWindow } from '../content/articles-in-window.js';
import type { ArticleStore } from '../content/ports.js';
import type { Digest, DigestStore } from '../digest/ports.js';
import { preferencesOf, type Format, type Preferences } from '../subscribers/preferences.js';
import type { ConfirmedReader } from '../subscribers/ports.js';
import { generationOf } from '../subscribers/rules.js';
import type { DeliveryMarks, ReaderMark, SendLedger, SendRecipient } from './ports.js';
import { contentId, isDue, markAfter, occurrences, selectFor, windowOf, type Candidate, type Window } from './reader-windows.js';

/** Renders an email's content once for every reader who shares it (MJML lives at the edge that injects this). */
export type RenderContent = (input: { id: string; createdAt: string; articles: Article[]; format: Format }) => Promise<Digest>;

export interface RoundDeps {
  articles: Pick<ArticleStore, 'latest' | 'get'>;
  digests: Pick<DigestStore, 'get' | 'list' | 'create'>;
  ledger: Pick<SendLedger, 'getJob' | 'batches'>;
  marks: DeliveryMarks;
  renderContent: RenderContent;
  /** When the last publish that succeeded ended: a round never mails an article the site does not show yet. */
  lastPublishedAt: () => Promise<string | undefined>;
  /**
   * Which of these articles' pages the site shows (written by a publish): an article the last
   * publish left out (it broke a rule of the feeds) is not mailed, so no mail links to a page
   * that is not there.
   */
  pagesShown: (slugs: string[]) => Promise<Set<string>>;
  /** The site's time zone, for daily and weekly hours. */
  timeZone: string;
  /** How long a per-article email waits after an article is placed, so an edit updates it and an unpublish cancels it. */
  holdMs: number;
}

/** One send's plan, built a page of readers at a time. */
export class SendPlan {
  /** Contents of this send by id (rendered or found), each once. */
  private readonly contents = new Map<string, Promise<Digest>>();
  /** Candidates, each `placed` where mail counts it placed (first mailed at, or StoredArticle.placed). */
  private loaded: Array<StoredArticle & { placed: string }> = [];
  private loadedDigest = false;
  /** Articles of the digest the store no longer has: in the digest, never in a content rendered anew. */
  private readonly ghosts = new Set<string>();
  /** The candidates are loaded for placements after this (undefined: none loaded yet). */
  private loadedAfter: number | undefined;

  private constructor(
    private readonly deps: RoundDeps,
    readonly id: string,
    private readonly at: Date,
    private readonly digest: Digest | undefined,
    /**
     * Where a round reader without a mark starts: at their confirmation, or, when they were
     * mailed the newest digest sent (they were a digest reader before marks), at its cutoff.
     */
    private readonly start: { after?: string; recipients?: () => Promise<Set<string>> },
    private readonly cutoffs: { digest?: string; each: string; scheduled: string },
    private readonly occurrence: (hour: number, weekday?: number) => Date,
  ) {}

  /** The plan of a digest's send, or of a round (`digest` undefined) at `at`. */
  static async open(deps: RoundDeps, send: { id: string; at: Date; digest?: Digest }): Promise<SendPlan> {
    const sent = await previousSentDigest(deps, send.digest);
    const published = await deps.lastPublishedAt();
    const upTo = (iso: string) => (published && published < iso ? published : iso);
    const start = sent ? { after: sent.cutoff, recipients: recipientsOf(deps, sent.id) } : {};
    const cutoffs = {
      ...(send.digest ? { digest: send.digest.cutoff } : {}),
      each: upTo(new Date(send.at.getTime() - deps.holdMs).toISOString()),
      scheduled: upTo(send.at.toISOString()),
    };
    return new SendPlan(deps, send.id, send.at, send.digest, start, cutoffs, occurrences(send.at, deps.timeZone));
  }

  /** How many distinct contents the plan's emails hold so far. */
  get contentCount(): number {
    return this.contents.size;
  }

  /** The readers of `page` this send mails, each with their content; marks and offers written first. */
  async assign(page: ConfirmedReader[]): Promise<SendRecipient[]> {
    const marks = await this.deps.marks.readers(page.map((r) => r.id));
    const planned: Array<{ reader: ConfirmedReader; preferences: Preferences; window: Window }> = [];
    for (const reader of page) {
      const preferences = preferencesOf(reader);
      const mark = marks.get(reader.id);
      if (!this.takes(reader, preferences, mark)) continue;
      const start = { after: await this.startOf(reader) };
      const to = this.digest ? this.cutoffs.digest! : preferences.cadence === 'each' ? this.cutoffs.each : this.cutoffs.scheduled;
      const only = this.digest && (mark || (await this.tookTheLastDigest(reader))) ? { only: this.digest.articleIds ?? [] } : {};
      planned.push({
        reader,
        preferences,
        window: windowOf({ generation: generationOf(reader) }, mark, { id: this.id, to, start, ...only }),
      });
    }
    await this.load(planned.map((p) => p.window));
    const emails = [];
    // A daily or weekly reader with nothing new at their hour is marked all the same: their hour was had.
    const passed = [];
    for (const { reader, preferences, window } of planned) {
      const selected = this.emailable(preferences.format, selectFor(window, preferences, this.loaded));
      if (selected.length > 0) emails.push({ reader, window, selected, content: await this.contentFor(preferences.format, selected) });
      else if (preferences.cadence === 'daily' || preferences.cadence === 'weekly') passed.push({ reader, window });
    }
    await this.deps.marks.offer([
      ...new Map(emails.flatMap((e) => e.selected.map((c) => [c.id, { id: c.id, placed: c.placed }] as const))).values(),
    ]);
    const markOf = (reader: ConfirmedReader, window: Window, selected: Candidate[], content: { cutoff: string }) =>
      markAfter(window, selected, content, { id: this.id, at: this.at.toISOString(), generation: generationOf(reader) });
    await this.deps.marks.setReaders([
      ...emails.map((e) => ({ id: e.reader.id, mark: markOf(e.reader, e.window, e.selected, e.content) })),
      ...passed.map((p) => ({ id: p.reader.id, mark: markOf(p.reader, p.window, [], { cutoff: p.window.to }) })),
    ]);
    return emails.map(({ reader, content }) => ({
      id: reader.id,
      email: reader.email,
      ...(content.id === this.digest?.id ? {} : { content: content.id }),
    }));
  }

  /** Where a reader without a mark starts in a round: see `start`. */
  private async startOf(reader: ConfirmedReader): Promise<string | undefined> {
    const confirmed = reader.confirmedAt ?? this.at.toISOString();
    if (!(await this.tookTheLastDigest(reader)) || !this.start.after) return confirmed;
    return this.start.after > confirmed ? this.start.after : confirmed;
  }

  /**
   * Whether a reader without a mark had the emails of a digest reader before marks: they were
   * mailed the newest digest sent (or no digest was ever sent, when the first takes its own
   * articles). A digest's send gives such a reader the digest whole; anyone else (new, or who
   * chose another cadence and was never mailed) gets what was placed since they confirmed.
   */
  private async tookTheLastDigest(reader: ConfirmedReader): Promise<boolean> {
    if (!this.start.recipients) return this.digest !== undefined;
    return (await this.start.recipients()).has(reader.id);
  }

  /** Whether this send mails the reader at all: a digest's send its digest readers, a round those due now. */
  private takes(reader: ConfirmedReader, preferences: Preferences, mark: ReaderMark | undefined): boolean {
    if (this.digest) return preferences.cadence === 'digest';
    if (preferences.cadence === 'digest') return false;
    const own = mark && mark.generation === generationOf(reader) ? mark : undefined;
    if (own?.send === this.id) return true;
    return isDue(preferences, own?.at ?? reader.confirmedAt, this.occurrence);
  }

  /**
   * Loads every article the windows may hold, once: public articles placed after the earliest
   * window start, each at the placement it was first mailed at, if it was; and the digest's own
   * articles, for readers new to sends.
   */
  private async load(windows: Window[]): Promise<void> {
    if (windows.some((w) => w.only) && !this.loadedDigest) await this.loadDigestArticles();
    const starts = windows.filter((w) => !w.only).map((w) => (w.after === undefined ? -Infinity : Date.parse(w.after)));
    if (starts.length === 0) return;
    const want = Math.min(...starts);
    if (this.loadedAfter !== undefined && want >= this.loadedAfter) return;
    const before = new Date(this.loadedAfter ?? Math.max(...Object.values(this.cutoffs).map((c) => Date.parse(c!))));
    const found = await allInWindow(this.deps.articles, { ...(want === -Infinity ? {} : { after: new Date(want) }), before });
    // Placed exactly at the old start was loaded then (`after < placed <= before`).
    const fresh = this.loadedAfter === undefined ? found : found.filter((a) => Date.parse(placedAt(a)) < this.loadedAfter!);
    await this.add(fresh);
    this.loadedAfter = want;
  }

  /**
   * The digest's own articles. One the store no longer has (deleted since the digest was made)
   * is still in the digest's rendering: it stays in the email of readers who take the digest
   * whole, as it always was, tagless and placed at the digest's cutoff.
   */
  private async loadDigestArticles(): Promise<void> {
    this.loadedDigest = true;
    const digest = this.digest!;
    const found = await Promise.all((digest.articleSlugs ?? []).map((slug) => this.deps.articles.get(slug)));
    await this.add(found.filter((a): a is StoredArticle => a !== undefined && !a.draft));
    const known = new Set(this.loaded.map((a) => a.id));
    for (const id of digest.articleIds ?? []) {
      if (known.has(id)) continue;
      this.ghosts.add(id);
      this.loaded.push({ id, tags: [], placed: digest.cutoff } as unknown as StoredArticle & { placed: string });
    }
  }

  /** Adds the mailable ones of `articles` not yet loaded (their pages on the site), at the placement they were first mailed at. */
  private async add(articles: StoredArticle[]): Promise<void> {
    const known = new Set(this.loaded.map((a) => a.id));
    const wanted = articles.filter((a) => a.email !== false && !known.has(a.id));
    const shown = wanted.length > 0 ? await this.deps.pagesShown(wanted.map((a) => a.slug)) : new Set<string>();
    const mailable = wanted.filter((a) => shown.has(a.slug));
    const offered = await this.deps.marks.offered(mailable.map((a) => a.id));
    this.loaded.push(...mailable.map((a) => ({ ...a, placed: offered.get(a.id) ?? placedAt(a) })));
  }

  /** What an email can hold of `selected`: all of it as the digest, else what the store still has. */
  private emailable(format: Format, selected: Candidate[]): Candidate[] {
    if (this.ghosts.size === 0 || this.isTheDigest(format, selected)) return selected;
    return selected.filter((c) => !this.ghosts.has(c.id));
  }

  private isTheDigest(format: Format, selected: Candidate[]): boolean {
    return (
      this.digest !== undefined &&
      format === 'summary' &&
      sameSet(
        selected.map((c) => c.id),
        this.digest.articleIds ?? [],
      )
    );
  }

  /** The content holding `selected` in `format`: the digest itself when it is exactly that, else rendered once for this send. */
  private contentFor(format: Format, selected: Candidate[]): Promise<Digest> {
    const ids = selected.map((c) => c.id);
    if (this.isTheDigest(format, selected)) return Promise.resolve(this.digest!);
    const id = contentId(this.id, format, ids);
    let content = this.contents.get(id);
    if (!content) {
      content = this.render(id, format, ids);
      content.catch(() => this.contents.delete(id));
      this.contents.set(id, content);
    }
    return content;
  }

  private async render(id: string, format: Format, ids: string[]): Promise<Digest> {
    const existing = await this.deps.digests.get(id);
    if (existing) return existing;
    const byId = new Map(this.loaded.map((a) => [a.id, a]));
    const articles = ids.map((articleId) => byId.get(articleId)!);
    const rendered = await this.deps.renderContent({ id, createdAt: this.at.toISOString(), articles, format });
    return this.deps.digests.create({ ...rendered, kind: 'content', format });
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

/**
 * The newest digest, other than this send's, whose send was started: its cutoff is where the
 * emails of a reader without a mark ended (every reader received every digest sent while they
 * were subscribed, before marks).
 */
/** Who the send `sendId` planned in, read once when first asked. */
function recipientsOf(deps: Pick<RoundDeps, 'ledger'>, sendId: string): () => Promise<Set<string>> {
  let read: Promise<Set<string>> | undefined;
  return () => (read ??= deps.ledger.batches(sendId).then((batches) => new Set(batches.flatMap((b) => b.recipients.map((r) => r.id)))));
}

async function previousSentDigest(deps: Pick<RoundDeps, 'digests' | 'ledger'>, current: Digest | undefined) {
  for (const digest of await deps.digests.list()) {
    if (current && (digest.id === current.id || digest.cutoff >= current.cutoff)) continue;
    if (await deps.ledger.getJob(digest.id)) return digest;
  }
  return undefined;
}
