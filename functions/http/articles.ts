/** /api/articles: create, read, list, replace and delete articles. */
import type { Context } from 'hono';
import type { Article, StoredArticle } from '../core/article.js';
import { articleFromInput } from '../core/content/article-input.js';
import { parseMarkdownArticle } from '../core/content/parse-markdown.js';
import { invalid, notFound } from '../core/errors.js';
import type { ApiDeps } from './app.js';
import { requireBearer } from './auth.js';
import { limitBody, readArticleBody } from './body.js';
import { clientHasVersion, etagOf, matchedVersion, parseIfMatch, requireIfMatch } from './preconditions.js';
import { RouteTable } from './openapi.js';
import {
  ArticlePageSchema,
  ListQuerySchema,
  SlugParamsSchema,
  StoredArticleSchema,
  bearerSecurity,
  problemResponses,
} from './schemas.js';

type ArticleDeps = Pick<ApiDeps, 'site' | 'apiToken' | 'articles' | 'now'>;

const articleLocation = (slug: string) => `/api/articles/${slug}`;

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

export function articleRoutes(deps: ArticleDeps): RouteTable {
  const table = new RouteTable();
  const guard = [requireBearer(deps.apiToken), limitBody];

  /**
   * Parses the body into an article. Markdown sent to the API may leave out the date (it
   * means now); an edit keeps the stored date and slug unless the body gives them.
   */
  async function articleFromRequest(c: Context, edit?: StoredArticle): Promise<Article> {
    const body = await readArticleBody(c);
    const now = deps.now();
    // An edit that does not say when it was updated was updated now.
    const ctx = { site: deps.site, now, ...(edit ? { defaults: { published: edit.published, updated: now.toISOString(), slug: edit.slug } } : {}) };
    if (body.kind === 'markdown') return parseMarkdownArticle({ name: 'request.md', text: body.text }, { ...ctx, requirePublished: false });
    return articleFromInput(body.value, ctx);
  }

  table.route(
    {
      method: 'post',
      path: '/articles',
      summary: 'Create an article',
      security: bearerSecurity,
      middleware: guard,
      body: articleBody,
      responses: { 201: articleResponse('The stored article'), ...problemResponses(400, 401, 409, 413, 415, 422) },
    },
    async (c) => {
      const stored = await deps.articles.create(await articleFromRequest(c));
      return c.json(stored, 201, { Location: articleLocation(stored.slug), ETag: etagOf(stored.version) });
    },
  );

  table.route(
    {
      method: 'get',
      path: '/articles',
      summary: 'List articles, drafts included, ordered by slug',
      security: bearerSecurity,
      middleware: [requireBearer(deps.apiToken)],
      query: ListQuerySchema,
      responses: { 200: { description: 'A page of articles', content: { 'application/json': { schema: ArticlePageSchema } } }, ...problemResponses(401, 422) },
    },
    async (c, input) => {
      const { limit, cursor } = input.query;
      const page = await deps.articles.list({ limit, ...(cursor ? { cursor } : {}) });
      const headers: Record<string, string> = page.cursor ? { Link: `</api/articles?limit=${limit}&cursor=${page.cursor}>; rel="next"` } : {};
      return c.json({ items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) }, 200, headers);
    },
  );

  table.route(
    {
      method: 'get',
      path: '/articles/{slug}',
      summary: 'Read an article (drafts and scheduled ones too)',
      security: bearerSecurity,
      middleware: [requireBearer(deps.apiToken)],
      params: SlugParamsSchema,
      responses: { 200: articleResponse('The article'), 304: { description: 'The ETag in If-None-Match is current' }, ...problemResponses(400, 401, 404) },
    },
    async (c, input) => {
      const { slug } = input.params;
      const article = await deps.articles.get(slug);
      if (!article) throw notFound(`No article has the slug "${slug}"`);
      const etag = etagOf(article.version);
      if (clientHasVersion(c.req.header('if-none-match'), article.version)) return c.body(null, 304, { ETag: etag });
      return c.json(article, 200, { ETag: etag });
    },
  );

  table.route(
    {
      method: 'put',
      path: '/articles/{slug}',
      summary: 'Replace an article; its slug and id never change',
      security: bearerSecurity,
      middleware: guard,
      params: SlugParamsSchema,
      body: articleBody,
      parameters: [ifMatchHeader(true)],
      responses: { 200: articleResponse('The stored article'), ...problemResponses(400, 401, 404, 409, 413, 415, 422, 428) },
    },
    async (c, input) => {
      const { slug } = input.params;
      const ifMatch = requireIfMatch(c.req.header('if-match'));
      const current = await deps.articles.get(slug);
      if (!current) throw notFound(`No article has the slug "${slug}"`);
      const version = matchedVersion(ifMatch, current.version);
      const article = await articleFromRequest(c, current);
      if (article.slug !== slug) {
        throw invalid("The slug is the article's address and cannot be changed by an edit", [
          { field: 'slug', message: `must be "${slug}", as in the URL, or left out` },
        ]);
      }
      // The id is the feed id readers know the article by; the source keeps a file import attached to its file.
      const updated = await deps.articles.update({ ...article, id: current.id, source: current.source, sourceHash: current.sourceHash }, version);
      return c.json(updated, 200, { ETag: etagOf(updated.version) });
    },
  );

  table.route(
    {
      method: 'delete',
      path: '/articles/{slug}',
      summary: 'Delete an article',
      security: bearerSecurity,
      middleware: guard,
      params: SlugParamsSchema,
      parameters: [ifMatchHeader(false)],
      responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 404, 409) },
    },
    async (c, input) => {
      const { slug } = input.params;
      const ifMatch = parseIfMatch(c.req.header('if-match'));
      let expected: number | undefined;
      if (ifMatch && !ifMatch.any) {
        const current = await deps.articles.get(slug);
        if (!current) throw notFound(`No article has the slug "${slug}"`);
        expected = matchedVersion(ifMatch, current.version);
      }
      const deleted = await deps.articles.delete(slug, expected);
      if (!deleted) throw notFound(`No article has the slug "${slug}"`);
      return c.body(null, 204);
    },
  );

  return table;
}
