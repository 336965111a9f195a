/**
 * Publishing on this machine, as the cloud's engines do it there: runs are queued and run
 * one at a time (the publish function's reserved concurrency of one); every run imports
 * content/ first, so a run asked for through the API or the CLI sees the files as they are;
 * an article written through the API is published shortly after, without a POST
 * /api/publish; and an article dated in the future is published when its time comes (in
 * AWS, the scheduled publish does both).
 */
import { randomUUID } from 'node:crypto';
import type { ImportReport } from '../core/content/import-articles.js';
import type { ArticleStore } from '../core/content/ports.js';
import type { PublishReport, PublishRun, PublishRunStore, PublishTrigger } from '../core/publish/ports.js';
import type { SiteConfig } from '../core/site.js';
import type { Publishing } from '../wiring/publishing.js';
import { importContent } from './import-content.js';
import { InProcessPublishQueue } from './publish-queue.js';
import { reconcileRuns, type RunReconciliation } from '../core/publish/reconcile-runs.js';
import { formatPublishReport, ImportLog } from './reports.js';

export interface LocalPublisherDeps {
  runs: PublishRunStore;
  /** The store as the import writes it: its writes are not the API's, so they queue nothing. */
  articles: ArticleStore;
  publishing: Pick<Publishing, 'publishRun'>;
  /** Where a fanned-out publish's chunks are carried out (the in-process chunk queue): a run waits for them. */
  chunks?: { idle(): Promise<void> };
  site: SiteConfig;
  contentDir: string;
  log?: (line: string) => void;
  /** How long API writes must be quiet before they are published. Default 1 s. */
  quietMs?: number;
}

/** The longest a timer may wait (setTimeout's limit is about 24.8 days); a later article is looked at again then. */
const MAX_TIMER_MS = 24 * 3600_000;

export class LocalPublisher implements PublishTrigger {
  private readonly queue: InProcessPublishQueue;
  private readonly imports: ImportLog;
  private readonly reports = new Map<string, PublishReport>();
  /** What the last run's import did; undefined before the first run. */
  lastImport: ImportReport | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly log: (line: string) => void;

  constructor(private readonly deps: LocalPublisherDeps) {
    const log = (this.log = deps.log ?? (() => {}));
    this.imports = new ImportLog(log);
    this.queue = new InProcessPublishQueue({
      runs: deps.runs,
      publish: (run, onProgress, fanningOut) => this.publish(run, onProgress, fanningOut),
      onReport: (runId, report) => {
        this.reports.set(runId, report);
        log(`publish ${runId}: ${formatPublishReport(report)}`);
      },
      onError: (runId, error) => log(`publish ${runId} failed: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  /** A run the API queued (POST /api/publish). */
  trigger(runId: string): Promise<void> {
    return this.queue.trigger(runId);
  }

  /**
   * Ends the runs a process that stopped left behind: this one holds the data folder, so a run
   * still `running` has no process left, and a queued one was never started. Waits for the restarted ones.
   */
  async recoverRuns(): Promise<RunReconciliation> {
    const recovered = await reconcileRuns(
      { runs: this.deps.runs, start: (runId) => this.queue.trigger(runId), now: () => new Date() },
      { queuedForMs: 0, runningForMs: 0, fannedOutForMs: 0 },
    );
    for (const runId of recovered.failed) this.log(`publish ${runId} had stopped before it finished: marked failed`);
    await this.queue.idle();
    return recovered;
  }

  /** Queues a run and waits for it: its report, or undefined when it failed (the log says why). */
  async publishNow(options: { full?: boolean } = {}): Promise<PublishReport | undefined> {
    const run: PublishRun = {
      id: randomUUID(),
      status: 'queued',
      requestedAt: new Date().toISOString(),
      ...(options.full ? { full: true } : {}),
    };
    await this.deps.runs.create(run);
    await this.queue.trigger(run.id);
    await this.queue.idle();
    const report = this.reports.get(run.id);
    this.reports.delete(run.id);
    return report;
  }

  /** A publish once writes have been quiet for a moment: an editor saving an article through the API three times makes one. */
  soon(): void {
    if (this.closed) return;
    clearTimeout(this.soonTimer);
    this.soonTimer = setTimeout(() => this.inBackground(this.publishNow()), this.deps.quietMs ?? 1_000);
  }

  /** Work no caller waits for: its failure is told, never left unhandled. */
  private inBackground(work: Promise<unknown>): void {
    work.catch((error: unknown) =>
      this.log(`publishing in the background failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** Resolves when every run queued so far has finished. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops publishing by itself, and waits for the run in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.soonTimer);
    clearTimeout(this.dueTimer);
    await this.queue.idle();
  }

  private async publish(
    run: PublishRun,
    onProgress: (done: { written: number; planned: number }) => Promise<void>,
    fanningOut: () => Promise<void>,
  ): Promise<PublishReport | 'fanned-out'> {
    this.lastImport = await importContent(this.deps, this.deps.site, this.deps.contentDir);
    this.imports.record(this.lastImport);
    const report = await this.deps.publishing.publishRun(run, { now: new Date(), full: run.full ?? false, onProgress, fanningOut });
    if (report === 'fanned-out') await this.fannedOutEnded(run.id);
    await this.watchForDueArticles();
    return report;
  }

  /** A fanned-out run ends with its last chunk's finish: runs here go one at a time, so this one waits for its chunks. */
  private async fannedOutEnded(runId: string): Promise<void> {
    await this.deps.chunks?.idle();
    const ended = await this.deps.runs.get(runId);
    if (ended?.status === 'succeeded' && ended.report) {
      this.reports.set(runId, ended.report);
      this.log(`publish ${runId}: ${formatPublishReport(ended.report)}`);
    } else this.log(`publish ${runId} did not finish: ${ended?.error ?? 'a chunk was given up (see above)'}`);
  }

  /** Sets a timer for the next article dated in the future, to publish it when its time comes. */
  private async watchForDueArticles(): Promise<void> {
    clearTimeout(this.dueTimer);
    const now = new Date();
    const scheduled = await this.deps.articles.latest({ limit: 1000, after: now, before: new Date(now.getTime() + 400 * 86_400_000) });
    const next = scheduled.at(-1);
    if (!next || this.closed) return;
    // A moment after its time: an article is published once its date is not after the run's clock.
    const wait = Math.min(Date.parse(next.published) - now.getTime() + 500, MAX_TIMER_MS);
    const later = () => (wait === MAX_TIMER_MS ? this.inBackground(this.watchForDueArticles()) : this.soon());
    this.dueTimer = setTimeout(later, Math.max(0, wait));
    this.dueTimer.unref();
  }
}
