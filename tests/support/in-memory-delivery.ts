/**
 * The delivery use cases (start a send, the send worker, test sends, queued mails, progress)
 * wired to the in-memory fakes of their ports, for the core tests: no server, no SDK. The
 * mailer keeps every message it accepted and can throttle or fail calls on demand.
 * delivery-harness.ts wires the same use cases to the real stores for the HTTP and wiring tests.
 */
import { sendProgress } from '../../functions/core/delivery/progress.js';
import type { QueuedMail } from '../../functions/core/delivery/ports.js';
import { sendQueuedMail } from '../../functions/core/delivery/queued-mail.js';
import { createSendWorker, type WorkerOptions } from '../../functions/core/delivery/send-batch.js';
import type { RoundDeps } from '../../functions/core/delivery/plan-round.js';
import { roundDeps } from '../../functions/wiring/delivery.js';
import {
  resumeDigestSend,
  sendLatestDigest,
  startDigestSend,
  tickRounds,
  type StartSendDeps,
} from '../../functions/core/delivery/start-send.js';
import { renderDigest } from '../../functions/core/digest/render-digest.js';
import { InMemoryArticleStore } from './fakes/article-store.js';
import { InMemoryDeliveryMarks } from './fakes/delivery-marks.js';
import { InMemoryManifestStore } from './fakes/manifest-store.js';
import { InMemoryPublishRunStore } from './fakes/publish-run-store.js';
import { digestTemplate } from './templates.js';
import { sendTestDigest } from '../../functions/core/delivery/test-send.js';
import type { SiteConfig } from '../../functions/core/site.js';
import { TOKEN_SECRET } from './delivery-data.js';
import { makeMailSettings, makeSite } from './factories.js';
import { InMemoryDigestStore } from './fakes/digest-store.js';
import { InMemoryMailClaims } from './fakes/mail-claims.js';
import { RecordingMailer } from './fakes/mailer.js';
import { RecordingQueue } from './fakes/queue.js';
import { InMemoryRateLimiter } from './fakes/rate-limiter.js';
import { InMemorySendLedger } from './fakes/send-ledger.js';
import { InMemorySubscriberStore } from './fakes/subscriber-store.js';

/** The stores of delivery, in memory. */
export function inMemoryDeliveryStores() {
  return {
    subscribers: new InMemorySubscriberStore(),
    ledger: new InMemorySendLedger(),
    rateLimiter: new InMemoryRateLimiter(),
    mailClaims: new InMemoryMailClaims(),
    digests: new InMemoryDigestStore(),
    articles: new InMemoryArticleStore(),
    runs: new InMemoryPublishRunStore(),
    marks: new InMemoryDeliveryMarks(),
    manifest: new InMemoryManifestStore(),
  };
}

/** What planning sends needs, on in-memory stores, rendering contents with the real template. */
export function inMemoryRounds(
  stores: ReturnType<typeof inMemoryDeliveryStores>,
  site: SiteConfig,
  settings: { timeZone?: string; holdMinutes?: number } = {},
): RoundDeps {
  const rounds = { timeZone: settings.timeZone ?? 'UTC', holdMinutes: settings.holdMinutes ?? 10 };
  return roundDeps(stores, rounds, (input) => renderDigest({ ...input, site, template: digestTemplate() }));
}

export function inMemoryDelivery(
  options: {
    site?: SiteConfig;
    now?: () => Date;
    workerOptions?: Partial<WorkerOptions>;
    /** Stores shared with a publish harness (articles, runs, digests), so sends see what publishes wrote. */
    shared?: Partial<ReturnType<typeof inMemoryDeliveryStores>>;
    rounds?: { timeZone?: string; holdMinutes?: number };
    /** How long a snapshot holds before another start takes it over (StartSendDeps.snapshotLeaseMs). */
    snapshotLeaseMs?: number;
  } = {},
) {
  const site = options.site ?? makeSite();
  const mail = makeMailSettings();
  const now = options.now ?? (() => new Date());
  const mailer = new RecordingMailer();
  const queue = new RecordingQueue();
  const stores = { ...inMemoryDeliveryStores(), ...options.shared };
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const copyContext = { site, mail, tokenSecret: TOKEN_SECRET };
  const rounds = inMemoryRounds(stores, site, options.rounds);
  const startDeps: StartSendDeps = {
    digests: stores.digests,
    subscribers: stores.subscribers,
    ledger: stores.ledger,
    queue,
    now,
    newId,
    rounds,
    ...(options.snapshotLeaseMs !== undefined ? { snapshotLeaseMs: options.snapshotLeaseMs } : {}),
  };
  return {
    site,
    mail,
    mailer,
    queue,
    stores,
    startSend: (digestId: string) => startDigestSend(startDeps, digestId),
    resumeSend: (digestId: string) => resumeDigestSend(startDeps, digestId),
    rounds,
    sendLatest: () => sendLatestDigest(startDeps),
    tick: (at: Date) => tickRounds({ ...startDeps, rounds }, at),
    progress: (digestId: string) => sendProgress(stores, digestId),
    sendTest: (digestId: string, email: unknown, at: Date) =>
      sendTestDigest({ ...copyContext, digests: stores.digests, subscribers: stores.subscribers, mailer }, { digestId, email, now: at }),
    sendQueued: (queued: QueuedMail) => sendQueuedMail({ mailer, claims: stores.mailClaims, now }, queued),
    worker: createSendWorker({
      ...copyContext,
      digests: stores.digests,
      subscribers: stores.subscribers,
      ledger: stores.ledger,
      mailer,
      now,
      sleep: async () => {},
      newId,
      random: () => 0.5,
      ...(options.workerOptions ? { options: options.workerOptions } : {}),
    }),
  };
}

export type InMemoryDelivery = ReturnType<typeof inMemoryDelivery>;
