/**
 * What the /api/articles routes take and answer, for the OpenAPI document. Apart from the
 * routes themselves (articles.ts) so the API function can document the article routes that
 * another function serves without bundling the article parser.
 */
import { defineRoute } from './openapi.js';
import { ArticlePageSchema, ListQuerySchema, SlugParamsSchema, StoredArticleSchema, bearerSecurity, problemResponses } from './schemas.js';

// Documented by reference and not validated here: the core's articleFromInput validates
// JSON and Markdown alike, with one set of messages.
const articleBody = {
  required: true,
  description: 'The article as JSON (ArticleInput), or as Markdown with YAML front matter.',
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/ArticleInput' } },
    'text/markdown': { schema: { type: 'string' as const } },
  },
};

const articleResponse = (description: string) => ({
  description,
  headers: { ETag: { description: 'The version, e.g. "3"; send it back in If-Match to edit.', schema: { type: 'string' as const } } },
  content: { 'application/json': { schema: StoredArticleSchema } },
});

const ifMatchHeader = (required: boolean) => ({
  name: 'If-Match',
  in: 'header' as const,
  required,
  description: 'The ETag of the version being replaced, e.g. "3".',
  schema: { type: 'string' as const },
});

export const articleDocs = {
  create: defineRoute({
    method: 'post',
    path: '/articles',
    summary: 'Create an article',
    security: bearerSecurity,
    body: articleBody,
    responses: { 201: articleResponse('The stored article'), ...problemResponses(400, 401, 409, 413, 415, 422) },
  }),
  list: defineRoute({
    method: 'get',
    path: '/articles',
    summary: 'List articles, drafts included, ordered by slug',
    security: bearerSecurity,
    query: ListQuerySchema,
    responses: {
      200: { description: 'A page of articles', content: { 'application/json': { schema: ArticlePageSchema } } },
      ...problemResponses(401, 422),
    },
  }),
  read: defineRoute({
    method: 'get',
    path: '/articles/{slug}',
    summary: 'Read an article (drafts and scheduled ones too)',
    security: bearerSecurity,
    params: SlugParamsSchema,
    responses: {
      200: articleResponse('The article'),
      304: { description: 'The ETag in If-None-Match is current' },
      ...problemResponses(400, 401, 404),
    },
  }),
  replace: defineRoute({
    method: 'put',
    path: '/articles/{slug}',
    summary: 'Replace an article; its slug and id never change',
    security: bearerSecurity,
    params: SlugParamsSchema,
    body: articleBody,
    parameters: [ifMatchHeader(true)],
    responses: { 200: articleResponse('The stored article'), ...problemResponses(400, 401, 404, 409, 413, 415, 422, 428) },
  }),
  remove: defineRoute({
    method: 'delete',
    path: '/articles/{slug}',
    summary: 'Delete an article',
    security: bearerSecurity,
    params: SlugParamsSchema,
    parameters: [ifMatchHeader(false)],
    responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 404, 409) },
  }),
};
