/** /api/digests/{id}: start a digest's send, watch its progress, or mail a test copy to one address. */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { notFound, PressrunError } from '../core/errors.js';
import type { ApiDeps } from './app.js';
import { requireBearer } from './auth.js';
import type { DeliveryApi } from './delivery-api.js';
import { limitFormBody } from './forms.js';
import { validationHook } from './problem.js';
import { bearerSecurity, problemResponses } from './schemas.js';

type Deps = Pick<ApiDeps, 'apiToken' | 'digests' | 'now' | 'delivery'>;

const DigestParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a digest id')
    .openapi({ param: { name: 'id', in: 'path' }, example: '2025-04-23-1a2b3c4d' }),
});

const SendProgressSchema = z
  .object({
    digestId: z.string(),
    status: z.enum(['unsent', 'preparing', 'sending', 'sent']),
    recipients: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    suppressed: z.number().int().openapi({ description: 'Skipped: unsubscribed, bounced or complained after the send started.' }),
    review: z.number().int().openapi({ description: 'Possibly delivered by a worker that stopped before recording it; never resent.' }),
    pending: z.number().int(),
    batches: z.object({ total: z.number().int(), sent: z.number().int() }),
    startedAt: z.string().optional(),
  })
  .openapi('SendProgress');

const DigestSendSchema = z
  .object({ id: z.string(), subject: z.string(), createdAt: z.string(), articles: z.array(z.string()), send: SendProgressSchema })
  .openapi('DigestSend');

const SendStartedSchema = z.object({ digestId: z.string(), status: z.enum(['preparing', 'queued']), recipients: z.number().int().optional(), batches: z.number().int().optional(), enqueued: z.number().int() }).openapi('SendStarted');

const TestSendBody = z.object({ email: z.string().openapi({ example: 'editor@example.com' }) }).strict();

const delivery = (deps: Deps): DeliveryApi => {
  if (!deps.delivery) throw new PressrunError('unavailable', 'Digest delivery is not set up on this server');
  return deps.delivery;
};

const location = (id: string) => `/api/digests/${id}`;

export function digestSendRoutes(deps: Deps): OpenAPIHono {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const auth = requireBearer(deps.apiToken);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/digests/{id}',
      summary: "A digest and its send's progress",
      security: bearerSecurity,
      middleware: [auth],
      request: { params: DigestParams },
      responses: { 200: { description: 'The digest and how far its send has come', content: { 'application/json': { schema: DigestSendSchema } } }, ...problemResponses(400, 401, 404, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const digest = await deps.digests.get(id);
      if (!digest) throw notFound(`No digest has the id "${id}"`);
      const send = await delivery(deps).progress(id);
      return c.json({ id, subject: digest.subject, createdAt: digest.createdAt, articles: digest.articleSlugs, send }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/digests/{id}/send',
      summary: 'Send a digest to every confirmed subscriber (at most once each; calling again only re-queues unfinished batches)',
      security: bearerSecurity,
      middleware: [auth],
      request: { params: DigestParams },
      responses: {
        202: { description: 'Started; follow Location for progress', content: { 'application/json': { schema: SendStartedSchema } } },
        ...problemResponses(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { job, enqueued } = await delivery(deps).startSend(id);
      const body = {
        digestId: id,
        status: job.status === 'queued' ? ('queued' as const) : ('preparing' as const),
        ...(job.recipients !== undefined ? { recipients: job.recipients } : {}),
        ...(job.batches !== undefined ? { batches: job.batches } : {}),
        enqueued,
      };
      return c.json(body, 202, { Location: location(id) });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/digests/{id}/test',
      summary: 'Mail one test copy of a digest (marked as a test; the send ledger is not touched)',
      security: bearerSecurity,
      middleware: [auth, limitFormBody],
      request: { params: DigestParams, body: { required: true, content: { 'application/json': { schema: TestSendBody } } } },
      responses: {
        200: { description: 'Sent', content: { 'application/json': { schema: z.object({ to: z.string(), messageId: z.string(), test: z.literal(true) }).openapi('TestSend') } } },
        ...problemResponses(400, 401, 404, 413, 422, 429, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { email } = c.req.valid('json');
      const sent = await delivery(deps).sendTest(id, email, deps.now());
      return c.json({ ...sent, test: true as const }, 200);
    },
  );

  return app;
}
