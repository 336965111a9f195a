/**
 * Subscriptions and digest sends wired to the table, a mailer and a queue. Three pieces, so
 * each root takes only what it runs and none of them needs another first: the sender (the
 * send worker's batches, queued mails and subscription requests), the starter (snapshot and queue a digest's send)
 * and the API's view of delivery. No MJML here: digests are rendered at publish.
 */
import { randomUUID } from 'node:crypto';
import { checkTimeZone, ConfigError, type DeliveryConfig } from '../config.js';
import type {
  MailClaims,
  Queue,
  QueuedMail,
  QueuedSubscribeRequest,
  SendBatchRef,
  SendLedger,
  SendPlanner,
} from '../core/delivery/ports.js';
import type { DigestStore } from '../core/digest/ports.js';
import type { RateLimiter } from '../core/rate-limit.js';
import type { SubscriberStore } from '../core/subscribers/ports.js';
import { Pacer } from '../core/delivery/pacer.js';
import { sendProgress } from '../core/delivery/progress.js';
import { recordSesFeedback } from '../core/delivery/send-feedback.js';
import { carryOutSubscribeRequest, sendQueuedMail } from '../core/delivery/queued-mail.js';
import { createSendWorker, type TimeBudget, type WorkerOptions } from '../core/delivery/send-batch.js';
import {
  resumeDigestSend,
  sendLatestDigest,
  startDigestSend,
  tickRounds,
  type StartSendDeps,
  requestDigestSend,
} from '../core/delivery/start-send.js';
import type { RenderContent, RoundDeps } from '../core/delivery/plan-round.js';
import type { ManifestStore } from '../core/publish/ports.js';
import { articlePagesShown } from '../core/publish/pages-shown.js';
import { sendTestDigest } from '../core/delivery/test-send.js';
import { planSegment } from '../core/delivery/plan-segments.js';
import { PLAN_SEGMENTS } from '../core/delivery/segments.js';
import type { Mailer } from '../core/mail/ports.js';
import { SUBSCRIBE_LIMITS } from '../core/rate-limit.js';
import type { SiteConfig } from '../core/site.js';
import type { SubscribeRequests } from '../core/subscribers/ports.js';
import { readChoices, saveChoices } from '../core/subscribers/manage-preferences.js';
import { acceptSubscription, checkLink, confirmSubscription, unsubscribe } from '../core/subscribers/subscriptions.js';
import { MIN_SECRET_LENGTH } from '../core/subscribers/tokens.js';
import type { DeliveryApi } from '../http/delivery-api.js';
import type { TableStores } from './table-stores.js';

/** What every piece signs links and writes mails with. */
export interface MailContext {
  site: SiteConfig;
  mail: DeliveryConfig['mail'];
  /** The resolved signing key (DeliveryConfig.tokenSecret may only name the secret holding it). */
  tokenSecret: string;
}

const systemClock = () => new Date();
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The send worker's work, through the provider: a digest's batches, the mails the API queued,
 * and the subscription requests it accepted (all the per-address work of a subscribe).
 */
export function createSender(
  context: MailContext,
  stores: { digests: DigestStore; subscribers: SubscriberStore; ledger: SendLedger; mailClaims: MailClaims; rateLimiter: RateLimiter },
  mailer: Mailer,
  options: {
    now?: () => Date;
    sleep?: (ms: number) => Promise<void>;
    workerOptions?: Partial<WorkerOptions>;
    limits?: DeliveryConfig['subscribeLimits'];
    /** The send queue, to hand back a batch the worker could not finish without spending one of its receives. */
    queue?: Queue;
    /** What planning sends needs (roundDeps), where this sender plans them (the send worker). */
    rounds?: RoundDeps;
    /** Where a plan that paused (its invocation's time ran out) is handed on: the send queue, as a new plan message. */
    planner?: SendPlanner;
  } = {},
) {
  const now = options.now ?? systemClock;
  const sleep = options.sleep ?? wait;
  // One pace for everything this process mails: the digest's batches, and the confirmations and test copies besides.
  const pacer = new Pacer(options.workerOptions?.ratePerSecond ?? Infinity, { now, sleep });
  const paced: Mailer = { send: async (message) => (await pacer.take(1), mailer.send(message)) };
  const queued = { mailer: paced, claims: stores.mailClaims, now };
  const subscriptions = {
    ...context,
    subscribers: stores.subscribers,
    rateLimiter: stores.rateLimiter,
    perAddress: (options.limits ?? SUBSCRIBE_LIMITS).perAddress,
  };
  return {
    worker: createSendWorker({
      ...context,
      digests: stores.digests,
      subscribers: stores.subscribers,
      ledger: stores.ledger,
      mailer,
      now,
      sleep,
      pacer,
      newId: randomUUID,
      random: Math.random,
      ...(options.workerOptions ? { options: options.workerOptions } : {}),
    }),
    ...queueWork({ ...stores, ...(options.rounds ? { rounds: options.rounds } : {}) }, options.queue, now, options.planner),
    /** A mail the API queued (SqsMailOutbox), sent at most once. */
    sendQueued: (mail: QueuedMail) => sendQueuedMail(queued, mail),
    /** A subscription request the API queued (SqsSubscribeRequests), carried out at most once. */
    subscribe: (request: QueuedSubscribeRequest) => carryOutSubscribeRequest({ ...queued, subscriptions }, request),
  };
}

/** What the worker does with the send queue: plan a send the API handed over, hand back a batch it could not finish. */
function queueWork(
  stores: Pick<StartSendDeps, 'digests' | 'subscribers' | 'ledger' | 'rounds'>,
  queue: Queue | undefined,
  now: () => Date,
  planner: SendPlanner | undefined,
) {
  const theQueue = () => {
    if (!queue) throw new Error('This sender was given no send queue');
    return queue;
  };
  return {
    /**
     * A send the API handed over (requestDigestSend): its readers snapshotted into batches and
     * queued, here where the time is. One that would outlast the invocation pauses, and is handed
     * on as a new plan message that goes on where it stopped.
     */
    plan: async (digestId: string, budget?: TimeBudget, segment?: number) => {
      const deps = { ...stores, queue: theQueue(), now, newId: randomUUID, ...(planner ? { planner, segments: PLAN_SEGMENTS } : {}) };
      if (segment !== undefined) return planSegment(deps, digestId, segment, budget);
      const start = await startDigestSend(deps, digestId, budget);
      if (start.paused && planner) await planner.plan(digestId);
      return start;
    },
    /** The schedule's tick: a round for the readers on the per-article, daily and weekly cadences, when someone may be due. */
    tick: (budget?: TimeBudget) => {
      if (!stores.rounds) throw new Error('This sender was given no RoundDeps');
      return tickRounds({ ...stores, rounds: stores.rounds, queue: theQueue(), now, newId: randomUUID }, now(), budget);
    },
    /** Queues a batch again, `delaySeconds` from now, as a new message: its receives start from zero. */
    requeue: (ref: SendBatchRef, delaySeconds: number) => theQueue().enqueue([ref], { delaySeconds }),
  };
}

export type Sender = ReturnType<typeof createSender>;

/**
 * Snapshots a digest's readers into batches and queues them; safe to call again. Given a
 * planner (the API), a send not yet snapshotted is handed to a worker instead.
 */
export function createSendStarter(
  stores: Pick<TableStores, 'digests' | 'subscribers' | 'ledger'>,
  queue: Queue,
  now = systemClock,
  planner?: SendPlanner,
  rounds?: RoundDeps,
) {
  const deps: StartSendDeps = {
    digests: stores.digests,
    subscribers: stores.subscribers,
    ledger: stores.ledger,
    queue,
    now,
    newId: randomUUID,
    ...(rounds ? { rounds } : {}),
  };
  return {
    startSend: (digestId: string) => (planner ? requestDigestSend({ ...deps, planner }, digestId) : startDigestSend(deps, digestId)),
    /** A stopped send, resumed (its rates count from here). */
    resumeSend: (digestId: string) => resumeDigestSend(deps, digestId),
    /** The newest digest's send, unless it was started before (a scheduled cadence). */
    sendLatest: () => sendLatestDigest(deps),
    /** A round for the readers on the per-article, daily and weekly cadences, when someone may be due (tickRounds). */
    tick: () => {
      if (!rounds) throw new Error('This starter was given no RoundDeps');
      return tickRounds({ ...deps, rounds }, now());
    },
  };
}

/** What planning who gets which email needs, from the table's stores and the delivery settings. */
export function roundDeps(
  stores: Pick<RoundDeps, 'articles' | 'digests' | 'ledger' | 'marks'> & {
    runs: { lastSucceededAt(): Promise<string | undefined> };
    manifest: Pick<ManifestStore, 'get'>;
  },
  settings: DeliveryConfig['rounds'],
  renderContent: RenderContent,
): RoundDeps {
  return {
    articles: stores.articles,
    digests: stores.digests,
    ledger: stores.ledger,
    marks: stores.marks,
    renderContent,
    lastPublishedAt: () => stores.runs.lastSucceededAt(),
    pagesShown: (slugs) => articlePagesShown(stores.manifest, slugs),
    timeZone: checkTimeZone(settings.timeZone),
    holdMs: settings.holdMinutes * 60_000,
  };
}

/** The API's part of a subscribe: check the address, queue the request; nothing else while the reader waits. */
export function subscriptionAcceptor(requests: SubscribeRequests): DeliveryApi['subscribe'] {
  return (request) => acceptSubscription({ requests }, request);
}

/**
 * What the API offers: subscriptions, digest sends and test copies. Subscription requests go
 * to `requests` and test copies to `outbox` (the mail queue in the cloud), never straight to
 * a provider; the send worker carries them out (createSender).
 */
export function createDeliveryApi(
  context: MailContext,
  stores: Pick<TableStores, 'digests' | 'subscribers' | 'ledger' | 'rateLimiter'>,
  options: {
    outbox: Mailer;
    requests: SubscribeRequests;
    queue: Queue;
    /** Where a send not yet snapshotted is planned (the send worker, in the cloud); without one the API snapshots it itself. */
    planner?: SendPlanner;
    /** What planning a send in this process needs (without a planner). */
    rounds?: RoundDeps;
    limits?: DeliveryConfig['subscribeLimits'];
    now?: () => Date;
  },
): DeliveryApi {
  const limits = options.limits ?? SUBSCRIBE_LIMITS;
  const links = { tokenSecret: context.tokenSecret, subscribers: stores.subscribers };
  const starter = createSendStarter(stores, options.queue, options.now, options.planner, options.rounds);
  return {
    subscribe: subscriptionAcceptor(options.requests),
    checkLink: async (token, purpose, now) => checkLink(links, { token, purpose, now }),
    confirm: (token, now) => confirmSubscription(links, { token, now }),
    unsubscribe: (token, source, now) => unsubscribe(links, { token, source, now }),
    readChoices: (token, now) => readChoices(links, { token, now }),
    saveChoices: (token, preferences, now) => saveChoices(links, { token, preferences, now }),
    startSend: starter.startSend,
    resumeSend: starter.resumeSend,
    progress: (digestId) => sendProgress(stores, digestId),
    sendTest: (digestId, email, now) =>
      sendTestDigest(
        { ...context, digests: stores.digests, subscribers: stores.subscribers, mailer: options.outbox },
        { digestId, email, now },
      ),
    rateLimiter: stores.rateLimiter,
    perClient: limits.perClient,
  };
}

/**
 * Reads one SES notification (bounce or complaint, through SNS): suppresses for good every
 * address it names as hard-bounced or complaining, and counts them against the send of the
 * digest the mail was part of (its guardrails); returns how many it newly suppressed.
 */
export function notificationSuppressor(stores: Pick<TableStores, 'subscribers' | 'ledger'>, now = systemClock) {
  return async (notification: string): Promise<number> =>
    (await recordSesFeedback({ subscribers: stores.subscribers, ledger: stores.ledger, now }, notification)).suppressed;
}

/** The signing key: given directly, or read from Secrets Manager through the secrets extension. */
export async function resolveTokenSecret(delivery: DeliveryConfig, secrets?: { get(secretId: string): Promise<string> }): Promise<string> {
  if ('value' in delivery.tokenSecret) return delivery.tokenSecret.value;
  if (!secrets) throw new ConfigError([`PRESSRUN_TOKEN_SECRET_ID is set but this process cannot read secrets; set PRESSRUN_TOKEN_SECRET`]);
  const value = await secrets.get(delivery.tokenSecret.secretId);
  if (value.length < MIN_SECRET_LENGTH)
    throw new ConfigError([`The secret ${delivery.tokenSecret.secretId} must hold at least ${MIN_SECRET_LENGTH} characters`]);
  return value;
}
