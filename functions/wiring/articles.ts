/**
 * The articles function's root: /api/articles*, the one part of the API that parses Markdown
 * and sanitizes HTML, apart so the API function that readers start cold does not load them.
 */
import type { Hono } from 'hono';
import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { apiShell } from '../http/api-shell.js';
import { articleRoutes } from '../http/articles.js';
import { lambdaBasics, originGuard } from './lambda.js';
import { createTableStores } from './table-stores.js';

export function articlesRoot(env: Record<string, string | undefined>): Hono {
  const { config, names, secrets } = lambdaBasics(env, ['PRESSRUN_API_TOKEN_SECRET_ID', 'PRESSRUN_ORIGIN_SECRET_ID']);
  const { articles } = createTableStores(config, { articles: DynamoArticleStore });
  const apiToken = () => secrets.get(names.PRESSRUN_API_TOKEN_SECRET_ID);
  return apiShell({
    site: config.site,
    tables: [articleRoutes({ site: config.site, apiToken, articles, now: () => new Date() })],
    guard: originGuard(names.PRESSRUN_ORIGIN_SECRET_ID, secrets),
  });
}
