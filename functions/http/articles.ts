/** /api/articles: create, read, list, replace and delete articles. */
import type { Context } from 'hono';
import type { Article, StoredArticle } from '../core/article.js';
import { articleFromInput } from '../core/content/article-input.js';
import { createArticle } from '../core/content/create-article.js';
import { placementFor } from '../core/content/placement.js';
import { parseMarkdownArticle } from '../core/content/parse-markdown.js';
import { invalid, notFound, PressrunError } from '../core/errors.js';
import type { ApiDeps } from './api-deps.js';
import { requireBearer } from './auth.js';
import { limitBody, readArticleBody } from './body.js';
import { clientHasVersion, etagOf, matchedVersion, parseIfMatch, requireIfMatch } from './preconditions.js';
import { articleDocs } from './article-docs.js';
import { RouteTable } from './openapi.js';

type ArticleDeps = Pick<ApiDeps, 'site' | 'apiToken' | 'articles' | 'now'>;

const articleLocation = (slug: string) => `/api/articles/${slug}`;

export function articleRoutes(deps: ArticleDeps): RouteTable {
  const table = new RouteTable();
  const guard = [requireBearer(deps.apiToken), limitBody];

  table.route({ ...articleDocs.create, middleware: guard }, async (c) => {
    const stored = await createArticle(deps.articles, await articleFromRequest(c, deps), deps.now());
    return c.json(stored, 201, { Location: articleLocation(stored.slug), ETag: etagOf(stored.version) });
  });

  table.route({ ...articleDocs.list, middleware: [requireBearer(deps.apiToken)] }, async (c, input) => {
    const { limit, cursor } = input.query;
    const page = await deps.articles.list({ limit, ...(cursor ? { cursor } : {}) });
    const headers: Record<string, string> = page.cursor ? { Link: `</api/articles?limit=${limit}&cursor=${page.cursor}>; rel="next"` } : {};
    return c.json({ items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) }, 200, headers);
  });

  table.route({ ...articleDocs.read, middleware: [requireBearer(deps.apiToken)] }, async (c, input) => {
    const article = await existing(deps, input.params.slug);
    const etag = etagOf(article.version);
    if (clientHasVersion(c.req.header('if-none-match'), article.version)) return c.body(null, 304, { ETag: etag });
    return c.json(article, 200, { ETag: etag });
  });

  table.route({ ...articleDocs.replace, middleware: guard }, async (c, input) => {
    const updated = await replaceArticle(c, deps, input.params.slug);
    return c.json(updated, 200, { ETag: etagOf(updated.version) });
  });

  table.route({ ...articleDocs.remove, middleware: guard }, async (c, input) => {
    await removeArticle(c, deps, input.params.slug);
    return c.body(null, 204);
  });

  return table;
}

async function existing(deps: ArticleDeps, slug: string): Promise<StoredArticle> {
  const article = await deps.articles.get(slug);
  if (!article) throw notFound(`No article has the slug "${slug}"`);
  return article;
}

/**
 * An article has one owner. One imported from a file is changed by editing the file: a write
 * through the API would be undone by the file's next save or import, so it is refused.
 */
function ownedByTheApi(article: StoredArticle): StoredArticle {
  if (article.source === undefined) return article;
  const message = `comes from ${article.source}: edit or delete the file instead`;
  throw new PressrunError('conflict', `The article "${article.slug}" ${message}`, [{ field: 'source', message }]);
}

/**
 * Parses the body into an article. Markdown sent to the API may leave out the date (it
 * means now); an edit keeps the stored date and slug unless the body gives them.
 */
async function articleFromRequest(c: Context, deps: ArticleDeps, edit?: StoredArticle): Promise<Article> {
  const body = await readArticleBody(c);
  const now = deps.now();
  // An edit that does not say when it was updated was updated now.
  const ctx = {
    site: deps.site,
    now,
    ...(edit ? { defaults: { published: edit.published, updated: now.toISOString(), slug: edit.slug } } : {}),
  };
  if (body.kind === 'markdown') return parseMarkdownArticle({ name: 'request.md', text: body.text }, { ...ctx, requirePublished: false });
  return articleFromInput(body.value, ctx);
}

/** PUT: the whole article again, for the version If-Match names; its slug and feed id never change. */
async function replaceArticle(c: Context, deps: ArticleDeps, slug: string): Promise<StoredArticle> {
  const ifMatch = requireIfMatch(c.req.header('if-match'));
  const current = ownedByTheApi(await existing(deps, slug));
  const version = matchedVersion(ifMatch, current.version);
  const article = await articleFromRequest(c, deps, current);
  if (article.slug !== slug) {
    throw invalid("The slug is the article's address and cannot be changed by an edit", [
      { field: 'slug', message: `must be "${slug}", as in the URL, or left out` },
    ]);
  }
  // The id is the feed id readers know the article by.
  const placed = placementFor(article, deps.now(), current);
  return deps.articles.update({ ...article, id: current.id, ...(placed ? { placed } : {}) }, version);
}

/** DELETE: with If-Match, only the version it names; without, whatever is there. */
async function removeArticle(c: Context, deps: ArticleDeps, slug: string): Promise<void> {
  const ifMatch = parseIfMatch(c.req.header('if-match'));
  const current = ownedByTheApi(await existing(deps, slug));
  const expected = ifMatch && !ifMatch.any ? matchedVersion(ifMatch, current.version) : undefined;
  const deleted = await deps.articles.delete(slug, expected);
  if (!deleted) throw notFound(`No article has the slug "${slug}"`);
}
