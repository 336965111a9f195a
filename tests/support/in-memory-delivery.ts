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
import { resumeDigestSend, sendLatestDigest, startDigestSend, type StartSendDeps } from '../../functions/core/delivery/start-send.js';
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
  };
}

export function inMemoryDelivery(options: { site?: SiteConfig; now?: () => Date; workerOptions?: Partial<WorkerOptions> } = {}) {
  const site = options.site ?? makeSite();
  const mail = makeMailSettings();
  const now = options.now ?? (() => new Date());
  const mailer = new RecordingMailer();
  const queue = new RecordingQueue();
  const stores = inMemoryDeliveryStores();
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const copyContext = { site, mail, tokenSecret: TOKEN_SECRET };
  const startDeps: StartSendDeps = { digests: stores.digests, subscribers: stores.subscribers, ledger: stores.ledger, queue, now, newId };
  return {
    site,
    mail,
    mailer,
    queue,
    stores,
    startSend: (digestId: string) => startDigestSend(startDeps, digestId),
    resumeSend: (digestId: string) => resumeDigestSend(startDeps, digestId),
    sendLatest: () => sendLatestDigest(startDeps),
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
