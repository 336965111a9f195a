/**
 * The zod schemas of the API: they validate requests (validate.ts) and generate
 * /api/openapi.json (openapi.ts), so the document cannot drift from what the routes accept.
 * The article body itself is validated by the core (articleFromInput), whose schema is
 * documented as ArticleInput. zod/mini keeps the API bundle small.
 */
import * as z from 'zod/mini';
import { ArticleInputSchema } from '../core/content/article-input-schema.js';
import '../core/content/zod-messages.js';

/** Lower-case words joined by single hyphens, as slugs are everywhere in Pressrun. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** The schemas /api/openapi.json lists under components.schemas, by name; operations refer to them. */
export const components = z.registry<{ id: string }>();

/** `schema` as the named component `id` (and described, when a description is given). */
export function component<T extends z.ZodMiniType>(id: string, schema: T, description?: string): T {
  components.add(schema, { id });
  if (description !== undefined) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), description });
  return schema;
}

/** Documentation only: an example or description for the OpenAPI document; validation ignores it. */
export const doc = <T extends z.ZodMiniType>(schema: T, meta: { example?: unknown; description?: string; format?: string }) =>
  schema.check(z.meta(meta));

component('ArticleInput', ArticleInputSchema);

const FieldProblemSchema = z.object({
  field: doc(z.string(), { example: 'title' }),
  message: doc(z.string(), { example: 'must not be empty' }),
});

export const ProblemSchema = component(
  'Problem',
  z.object({
    type: doc(z.string(), { example: 'about:blank' }),
    title: doc(z.string(), { example: 'Unprocessable Content' }),
    status: doc(z.int(), { example: 422 }),
    detail: z.string(),
    errors: z.array(FieldProblemSchema),
  }),
  'RFC 9457 problem details; `errors` names every offending field.',
);

export const SlugParamsSchema = z.object({
  slug: doc(z.string().check(z.maxLength(100), z.regex(SLUG_PATTERN, 'must be lower-case letters and digits joined by single hyphens')), {
    example: 'hello-world',
  }),
});

export const RunIdParamsSchema = z.object({
  id: doc(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a publish run id')), { example: '01JQ7ZK2W8Y3B6N4M5P0R9S1TV' }),
});

const LIMIT_MESSAGE = `must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

export const ListQuerySchema = z.object({
  limit: doc(
    z._default(
      z.coerce
        .number({ error: LIMIT_MESSAGE })
        .check(z.int(LIMIT_MESSAGE), z.minimum(1, LIMIT_MESSAGE), z.maximum(MAX_PAGE_SIZE, LIMIT_MESSAGE)),
      DEFAULT_PAGE_SIZE,
    ),
    { example: DEFAULT_PAGE_SIZE },
  ),
  cursor: doc(
    z.optional(
      z.string().check(z.minLength(1), z.maxLength(2048), z.regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page')),
    ),
    { description: 'The nextCursor of the previous page.' },
  ),
});

export const PreviewQuerySchema = z.object({
  format: doc(z._default(z.enum(['html', 'text', 'json'], { error: 'must be html, text or json' }), 'html'), {
    description: 'html (default), the plain-text part, or both as JSON.',
  }),
});

const AuthorSchema = component('Author', z.object({ name: z.string(), email: z.optional(z.string()), url: z.optional(z.string()) }));

const ArticleImageSchema = component(
  'ArticleImage',
  z.object({ url: z.string(), alt: z.string(), type: z.optional(z.string()), length: z.optional(z.int()) }),
);

const dateTime = () => doc(z.string(), { format: 'date-time' });

export const StoredArticleSchema = component(
  'Article',
  z.object({
    id: doc(z.string(), { description: 'Stable feed id; never changes once created.' }),
    slug: doc(z.string(), { example: 'hello-world' }),
    title: z.string(),
    summary: z.string(),
    html: doc(z.string(), { description: 'Sanitized HTML.' }),
    text: z.string(),
    published: dateTime(),
    updated: dateTime(),
    authors: z.array(AuthorSchema),
    tags: z.array(z.string()),
    image: z.optional(ArticleImageSchema),
    canonicalUrl: z.optional(z.string()),
    draft: z.boolean(),
    email: doc(z.optional(z.literal(false)), { description: 'Present (false) when the article is never mailed.' }),
    version: doc(z.int(), { description: 'Sent back as `If-Match: "<version>"` to edit.' }),
    source: z.optional(z.string()),
    sourceHash: z.optional(z.string()),
  }),
);

export const ArticlePageSchema = component(
  'ArticlePage',
  z.object({ items: z.array(StoredArticleSchema), nextCursor: z.optional(z.string()) }),
);

const PublishReportSchema = component(
  'PublishReport',
  z.object({
    full: z.boolean(),
    written: z.array(z.string()),
    unchanged: z.int(),
    deleted: z.array(z.string()),
    digest: z.optional(z.object({ id: z.string(), articles: z.int(), htmlBytes: z.int(), carriedOver: z.optional(z.int()) })),
    websub: doc(z.optional(z.object({ pinged: z.array(z.string()), error: z.optional(z.string()) })), {
      description: 'The changed feeds the WebSub hub was told about; error says why telling it failed (the publish still succeeded).',
    }),
    leftOut: doc(z.optional(z.array(z.object({ slug: z.string(), reason: z.string() }))), {
      description: 'Articles left out of this publish because they break a rule of the feeds, with the rule; the rest was published.',
    }),
    durationMs: z.number(),
  }),
);

export const PublishRunSchema = component(
  'PublishRun',
  z.object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    requestedAt: dateTime(),
    full: z.optional(z.boolean()),
    startedAt: z.optional(z.string()),
    finishedAt: z.optional(z.string()),
    report: z.optional(PublishReportSchema),
    error: z.optional(z.string()),
    progress: doc(z.optional(z.object({ written: z.int(), planned: z.int(), at: z.string() })), {
      description: 'While running: the objects written so far of those planned',
    }),
    redrivenAt: doc(z.optional(z.string()), { description: 'When a queued run that nothing had started was written anew to start it' }),
  }),
);

/** POST /api/publish: an empty body publishes what changed. */
export const PublishRequestSchema = component(
  'PublishRequest',
  z.object({ full: z.optional(doc(z.boolean(), { description: 'Rebuild and rewrite every object, whatever the manifest says' })) }),
);

export const PublishAcceptedSchema = component('PublishAccepted', z.object({ runId: z.string(), status: z.literal('queued') }));

export const DigestPreviewSchema = component('DigestPreview', z.object({ subject: z.string(), html: z.string(), text: z.string() }));

export const HealthSchema = z.object({ status: z.literal('ok') });

/** A response body or request body schema: a zod schema, or JSON Schema written out (a string, a $ref). */
export type BodySchema = z.core.$ZodType | Record<string, unknown>;

export interface ResponseDoc {
  description: string;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
  content?: Record<string, { schema: BodySchema }>;
}

/** Problem responses for the OpenAPI document, by status. */
export function problemResponses(...statuses: number[]): Record<number, ResponseDoc> {
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
  );
}

export const bearerSecurity = [{ bearerAuth: [] as string[] }];
