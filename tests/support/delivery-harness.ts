/**
 * Subscriptions and delivery on real DynamoDB stores (dynalite) with the real SesMailer in
 * front of a small fake of the SES API: the one outside service the tests stand in for. The
 * fake keeps every raw message it accepted and can throttle or fail calls on demand.
 * The core tests use the same use cases on in-memory fakes instead: in-memory-delivery.ts.
 */
import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SesMailer, type SesSender } from '../../functions/adapters/ses-mailer.js';
import { createDeliveryApi, createSendStarter, createSender, roundDeps } from '../../functions/wiring/delivery.js';
import { renderDigest } from '../../functions/core/digest/render-digest.js';
import { digestTemplate } from './templates.js';
import { ALL_TABLE_STORES, tableStoresOn } from '../../functions/wiring/table-stores.js';
import type { DeliveryConfig } from '../../functions/config.js';
import { SUBSCRIBE_LIMITS } from '../../functions/core/rate-limit.js';
import type { SiteConfig } from '../../functions/core/site.js';
import type { SubscribeRequests } from '../../functions/core/subscribers/ports.js';
import { TOKEN_SECRET } from './delivery-data.js';
import { makeMailSettings, makeSite } from './factories.js';
import { RecordingQueue } from './fakes/queue.js';
import type { LocalAws } from './local-aws.js';

export { seedConfirmed, storeDigest, TOKEN_SECRET } from './delivery-data.js';
export { makeMailSettings } from './factories.js';
export { RecordingQueue } from './fakes/queue.js';

export function makeDeliveryConfig(overrides: Partial<DeliveryConfig> = {}): DeliveryConfig {
  return {
    mail: makeMailSettings(),
    transport: { kind: 'ses', configurationSet: 'pressrun-test' },
    tokenSecret: { value: TOKEN_SECRET },
    cadence: { kind: 'publish' },
    subscribeLimits: SUBSCRIBE_LIMITS,
    guardrails: { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSample: 200 },
    atRisk: 30,
    rounds: { timeZone: 'UTC', holdMinutes: 10 },
    ...overrides,
  };
}

export interface AcceptedMail {
  to: string;
  from: string | undefined;
  raw: Buffer;
  messageId: string;
  configurationSet: string | undefined;
  tags: Record<string, string>;
}

/** What the fake does with one call: accept it, or fail as SES would. */
export type SesBehaviour = 'accept' | 'throttle' | 'reject' | 'timeout-after-accepting';

function sesError(name: string, message: string, status?: number): Error {
  return Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
}

export class FakeSes implements SesSender {
  readonly accepted: AcceptedMail[] = [];
  calls = 0;
  /** Decides each call (1-based); accept by default. */
  behaviour: (call: number, to: string) => SesBehaviour = () => 'accept';

  async send(command: SendEmailCommand): Promise<{ MessageId: string }> {
    const call = ++this.calls;
    const input = command.input;
    const to = input.Destination?.ToAddresses?.[0] ?? '';
    // A tick, as a network call would take: concurrent sends interleave.
    await new Promise((resolve) => setImmediate(resolve));
    const behaviour = this.behaviour(call, to);
    if (behaviour === 'throttle') throw sesError('ThrottlingException', 'Maximum sending rate exceeded.', 400);
    if (behaviour === 'reject') throw sesError('MessageRejected', 'Email address is not verified.', 400);
    const messageId = `0100-fake-${call}`;
    this.accepted.push({
      to,
      from: input.FromEmailAddress,
      raw: Buffer.from(input.Content?.Raw?.Data ?? new Uint8Array()),
      messageId,
      configurationSet: input.ConfigurationSetName,
      tags: Object.fromEntries((input.EmailTags ?? []).map((t) => [t.Name!, t.Value!])),
    });
    if (behaviour === 'timeout-after-accepting') throw sesError('TimeoutError', 'Connection timed out after 5000 ms');
    return { MessageId: messageId };
  }

  /** How many messages each address received. */
  deliveries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of this.accepted) counts.set(mail.to, (counts.get(mail.to) ?? 0) + 1);
    return counts;
  }
}

export function deliveryHarness(aws: LocalAws, options: { site?: SiteConfig; now?: () => Date; config?: DeliveryConfig } = {}) {
  const site = options.site ?? makeSite();
  const config = options.config ?? makeDeliveryConfig();
  const ses = new FakeSes();
  const queue = new RecordingQueue();
  const stores = tableStoresOn(aws.doc, aws.tableName, ALL_TABLE_STORES);
  const now = options.now ? { now: options.now } : {};
  const mailer = new SesMailer(ses, 'pressrun-test');
  const context = { site, mail: config.mail, tokenSecret: TOKEN_SECRET };
  const sender = createSender(context, stores, mailer, { ...now, sleep: async () => {}, limits: config.subscribeLimits });
  const rounds = roundDeps(stores, config.rounds, (input) => renderDigest({ ...input, site, template: digestTemplate() }));
  const services = { ...sender, ...createSendStarter(stores, queue, options.now, undefined, rounds), mailer };
  let requestIds = 0;
  /** Subscription requests handed to the send worker's handling within the request, so a test finds the mail once answered. */
  const handedOver: SubscribeRequests = {
    submit: async (request) => {
      await sender.subscribe({ id: `subscribe-${++requestIds}`, ...request });
    },
  };
  /** The API's view, with test copies going straight to the SES fake and subscription requests to `requests` (the worker, at once). */
  const api = (options: { requests?: SubscribeRequests } = {}) =>
    createDeliveryApi(context, stores, { outbox: mailer, requests: options.requests ?? handedOver, queue, rounds, ...now });
  return { site, config, ses, queue, stores, services, api };
}
