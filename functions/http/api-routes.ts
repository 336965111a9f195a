/**
 * The routes of the API function: health, publish runs, the digest, subscriptions and digest
 * sends. The article routes (articles.ts) are apart: they parse Markdown and sanitize HTML,
 * and in the cloud another function serves them (functions/handlers/articles.ts).
 */
import type { ApiDeps } from './app.js';
import { digestRoutes } from './digest.js';
import { digestSendRoutes } from './digest-sends.js';
import { RouteTable } from './openapi.js';
import { publishRoutes } from './publish.js';
import { HealthSchema } from './schemas.js';
import { subscriptionRoutes } from './subscriptions.js';

export function apiRoutes(deps: Omit<ApiDeps, 'articles'>): RouteTable[] {
  const health = new RouteTable();
  health.route(
    {
      method: 'get',
      path: '/health',
      summary: 'Liveness',
      responses: { 200: { description: 'The API answers', content: { 'application/json': { schema: HealthSchema } } } },
    },
    (c) => c.json({ status: 'ok' as const }, 200),
  );
  return [health, publishRoutes(deps), digestRoutes(deps), subscriptionRoutes(deps), digestSendRoutes(deps)];
}
