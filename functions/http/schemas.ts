/**
 * The zod schemas of the API: they validate requests and generate /api/openapi.json, so
 * the document cannot drift from what the routes accept. The article body itself is
 * validated by the core (articleFromInput), whose schema is documented as ArticleInput.
 */
import { z } from '@hono/zod-openapi';

/** Lower-case words joined by single hyphens, as slugs are everywhere in Pressrun. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

const FieldProblemSchema = z.object({
  field: z.string().openapi({ example: 'title' }),
  message: z.string().openapi({ example: 'must not be empty' }),
});

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'about:blank' }),
    title: z.string().openapi({ example: 'Unprocessable Content' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string(),
    errors: z.array(FieldProblemSchema),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details; `errors` names every offending field.' });

export const SlugParamsSchema = z.object({
  slug: z
    .string()
    .max(100)
    .regex(SLUG_PATTERN, 'must be lower-case letters and digits joined by single hyphens')
    .openapi({ param: { name: 'slug', in: 'path' }, example: 'hello-world' }),
});

export const RunIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a publish run id')
    .openapi({ param: { name: 'id', in: 'path' }, example: '01JQ7ZK2W8Y3B6N4M5P0R9S1TV' }),
});

const LIMIT_MESSAGE = `must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

export const ListQuerySchema = z.object({
  limit: z.coerce
    .number({ error: LIMIT_MESSAGE })
    .int(LIMIT_MESSAGE)
    .min(1, LIMIT_MESSAGE)
    .max(MAX_PAGE_SIZE, LIMIT_MESSAGE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ param: { name: 'limit', in: 'query' }, example: DEFAULT_PAGE_SIZE }),
  cursor: z
    .string()
    .min(1)
    .max(2048)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page')
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'The nextCursor of the previous page.' }),
});

export const PreviewQuerySchema = z.object({
  format: z
    .enum(['html', 'text', 'json'], { error: 'must be html, text or json' })
    .default('html')
    .openapi({ param: { name: 'format', in: 'query' }, description: 'html (default), the plain-text part, or both as JSON.' }),
});

const AuthorSchema = z.object({ name: z.string(), email: z.string().optional(), url: z.string().optional() }).openapi('Author');

const ArticleImageSchema = z
  .object({ url: z.string(), alt: z.string(), type: z.string().optional(), length: z.number().int().optional() })
  .openapi('ArticleImage');

export const StoredArticleSchema = z
  .object({
    id: z.string().openapi({ description: 'Stable feed id; never changes once created.' }),
    slug: z.string().openapi({ example: 'hello-world' }),
    title: z.string(),
    summary: z.string(),
    html: z.string().openapi({ description: 'Sanitized HTML.' }),
    text: z.string(),
    published: z.string().openapi({ format: 'date-time' }),
    updated: z.string().openapi({ format: 'date-time' }),
    authors: z.array(AuthorSchema),
    tags: z.array(z.string()),
    image: ArticleImageSchema.optional(),
    canonicalUrl: z.string().optional(),
    draft: z.boolean(),
    version: z.number().int().openapi({ description: 'Sent back as `If-Match: "<version>"` to edit.' }),
    source: z.string().optional(),
    sourceHash: z.string().optional(),
  })
  .openapi('Article');

export const ArticlePageSchema = z
  .object({ items: z.array(StoredArticleSchema), nextCursor: z.string().optional() })
  .openapi('ArticlePage');

const PublishReportSchema = z
  .object({
    full: z.boolean(),
    written: z.array(z.string()),
    unchanged: z.number().int(),
    deleted: z.array(z.string()),
    digest: z.object({ id: z.string(), articles: z.number().int(), htmlBytes: z.number().int() }).optional(),
    websub: z
      .object({ pinged: z.array(z.string()), error: z.string().optional() })
      .optional()
      .openapi({ description: 'The changed feeds the WebSub hub was told about; error says why telling it failed (the publish still succeeded).' }),
    durationMs: z.number(),
  })
  .openapi('PublishReport');

export const PublishRunSchema = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    requestedAt: z.string().openapi({ format: 'date-time' }),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    report: PublishReportSchema.optional(),
    error: z.string().optional(),
  })
  .openapi('PublishRun');

export const PublishAcceptedSchema = z.object({ runId: z.string(), status: z.literal('queued') }).openapi('PublishAccepted');

export const DigestPreviewSchema = z.object({ subject: z.string(), html: z.string(), text: z.string() }).openapi('DigestPreview');

export const HealthSchema = z.object({ status: z.literal('ok') });

/** Problem responses for the OpenAPI document, by status. */
export function problemResponses<const S extends number>(...statuses: S[]) {
  const descriptions: Record<number, string> = {
    400: 'Malformed request (unreadable JSON, malformed path parameter or header)',
    401: 'Missing or refused bearer token',
    404: 'No such resource',
    409: 'Conflict: the slug is taken, or If-Match names an old version',
    413: 'Body larger than 1 MB',
    415: 'Content-Type not accepted',
    422: 'Valid syntax that breaks the schema; `errors` names each field',
    428: 'If-Match is required',
    429: 'Too many requests; Retry-After says when to try again',
    503: 'A dependency (the mail provider, the queue) cannot take the request now; nothing was changed',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } },
    ]),
  ) as Record<S, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }>;
}

export const bearerSecurity = [{ bearerAuth: [] as string[] }];
