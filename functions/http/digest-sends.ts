/** /api/digests/{id}: start a digest's send, watch its progress, resume it once stopped, or mail a test copy to one address. */
import * as z from 'zod/mini';
import { isRound, roundInstant } from '../core/delivery/round-id.js';
import { notFound, PressrunError } from '../core/errors.js';
import type { ApiDeps } from './api-deps.js';
import { requireBearer } from './auth.js';
import type { DeliveryApi } from './delivery-api.js';
import { limitFormBody } from './forms.js';
import { defineRoute, RouteTable } from './openapi.js';
import { bearerSecurity, component, doc, problemResponses } from './schemas.js';

type Deps = Pick<ApiDeps, 'apiToken' | 'digests' | 'now' | 'delivery'>;

const DigestParams = z.object({
  id: doc(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a digest id')), { example: '2025-04-23-1a2b3c4d' }),
});

const SendProgressSchema = component(
  'SendProgress',
  z.object({
    digestId: z.string(),
    status: z.enum(['unsent', 'preparing', 'sending', 'sent', 'stopped']),
    stopped: doc(z.optional(z.object({ reason: z.string(), at: z.string() })), {
      description:
        'Why the send stopped: the mail provider refuses this deployment, or its hard-bounce or complaint rate passed its guardrail (the reason gives the rate). Look into it, then POST …/resume.',
    }),
    recipients: z.int(),
    sent: z.int(),
    failed: z.int(),
    suppressed: doc(z.int(), { description: 'Skipped: unsubscribed, bounced or complained after the send started.' }),
    review: doc(z.int(), { description: 'Possibly delivered by a worker that stopped before recording it; never resent.' }),
    pending: z.int(),
    batches: z.object({ total: z.int(), sent: z.int() }),
    segments: doc(z.optional(z.object({ total: z.int(), queued: z.int() })), {
      description:
        'While a large send is still planned in segments: how many segments there are and how many are sending already; the counts above are those planned so far.',
    }),
    startedAt: z.optional(z.string()),
  }),
);

const DigestSendSchema = component(
  'DigestSend',
  z.object({ id: z.string(), subject: z.string(), createdAt: z.string(), articles: z.array(z.string()), send: SendProgressSchema }),
);

const SendStartedSchema = component(
  'SendStarted',
  z.object({
    digestId: z.string(),
    status: z.enum(['preparing', 'queued']),
    recipients: z.optional(z.int()),
    batches: z.optional(z.int()),
    enqueued: z.int(),
  }),
);

const TestSendBody = z.strictObject({ email: doc(z.string(), { example: 'editor@example.com' }) });

const TestSendSchema = component('TestSend', z.object({ to: z.string(), messageId: z.string(), test: z.literal(true) }));

const delivery = (deps: Deps): DeliveryApi => {
  if (!deps.delivery) throw new PressrunError('unavailable', 'Digest delivery is not set up on this server');
  return deps.delivery;
};

const location = (id: string) => `/api/digests/${id}`;

/** The routes' documentation, also what the API function's OpenAPI document lists. */
const digestSendDocs = {
  progress: defineRoute({
    method: 'get',
    path: '/digests/{id}',
    summary:
      "A digest and its send's progress; or a round's (id round-<yyyymmdd>T<hhmm>: the send of the readers who chose each article, daily or weekly)",
    security: bearerSecurity,
    params: DigestParams,
    responses: {
      200: { description: 'The digest and how far its send has come', content: { 'application/json': { schema: DigestSendSchema } } },
      ...problemResponses(400, 401, 404, 503),
    },
  }),
  send: defineRoute({
    method: 'post',
    path: '/digests/{id}/send',
    summary: 'Send a digest to every confirmed subscriber (at most once each; calling again only re-queues unfinished batches)',
    security: bearerSecurity,
    params: DigestParams,
    responses: {
      202: { description: 'Started; follow Location for progress', content: { 'application/json': { schema: SendStartedSchema } } },
      ...problemResponses(400, 401, 404, 503),
    },
  }),
  resume: defineRoute({
    method: 'post',
    path: '/digests/{id}/resume',
    summary:
      'Resume a stopped send: its unfinished batches are queued again, nobody is mailed twice, and its bounce and complaint rates count from here',
    security: bearerSecurity,
    params: DigestParams,
    responses: {
      202: {
        description: 'Resumed; the send as it stands (follow Location)',
        content: { 'application/json': { schema: SendProgressSchema } },
      },
      ...problemResponses(400, 401, 404, 409, 503),
    },
  }),
  test: defineRoute({
    method: 'post',
    path: '/digests/{id}/test',
    summary: 'Mail one test copy of a digest (marked as a test; the send ledger is not touched)',
    security: bearerSecurity,
    params: DigestParams,
    json: TestSendBody,
    responses: {
      202: {
        description: 'Handed to the mail queue (in the cloud the send worker mails it within seconds); messageId names the queued mail',
        content: { 'application/json': { schema: TestSendSchema } },
      },
      ...problemResponses(400, 401, 404, 413, 422, 429, 503),
    },
  }),
};

export function digestSendRoutes(deps: Deps): RouteTable {
  const table = new RouteTable();
  const auth = requireBearer(deps.apiToken);

  table.route({ ...digestSendDocs.progress, middleware: [auth] }, async (c, input) => {
    const { id } = input.params;
    // A round has no digest of its own: each reader's email holds their articles, named in the ledger.
    const round = isRound(id) ? await delivery(deps).progress(id) : undefined;
    if (round && round.status !== 'unsent') {
      return c.json(
        {
          id,
          subject: `The round of ${roundInstant(id)?.toISOString() ?? id}`,
          createdAt: roundInstant(id)?.toISOString(),
          articles: [],
          send: round,
        },
        200,
      );
    }
    const digest = await deps.digests.get(id);
    if (!digest || digest.kind === 'content') throw notFound(`No digest has the id "${id}"`);
    const send = await delivery(deps).progress(id);
    return c.json({ id, subject: digest.subject, createdAt: digest.createdAt, articles: digest.articleSlugs, send }, 200);
  });

  table.route({ ...digestSendDocs.send, middleware: [auth] }, async (c, input) => {
    const { id } = input.params;
    const { job, enqueued } = await delivery(deps).startSend(id);
    const body = {
      digestId: id,
      status: job?.status === 'queued' ? ('queued' as const) : ('preparing' as const),
      ...(job?.recipients !== undefined ? { recipients: job.recipients } : {}),
      ...(job?.batches !== undefined ? { batches: job.batches } : {}),
      enqueued,
    };
    return c.json(body, 202, { Location: location(id) });
  });

  table.route({ ...digestSendDocs.resume, middleware: [auth] }, async (c, input) => {
    const { id } = input.params;
    await delivery(deps).resumeSend(id);
    return c.json(await delivery(deps).progress(id), 202, { Location: location(id) });
  });

  table.route({ ...digestSendDocs.test, middleware: [auth, limitFormBody] }, async (c, input) => {
    const { id } = input.params;
    const { email } = input.json;
    const sent = await delivery(deps).sendTest(id, email, deps.now());
    return c.json({ ...sent, test: true as const }, 202);
  });

  return table;
}
