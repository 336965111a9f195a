/**
 * The routes of the API function: health, publish runs, subscriptions and digest sends. Two
 * groups are apart, served in the cloud by functions of their own: the article routes
 * (articles.ts), which parse Markdown and sanitize HTML, and the digest preview (digest.ts),
 * which renders MJML.
 */
import type { ApiDeps } from './api-deps.js';
import { digestSendRoutes } from './digest-sends.js';
import { RouteTable } from './openapi.js';
import { publishRoutes } from './publish.js';
import { HealthSchema } from './schemas.js';
import { subscriptionRoutes } from './subscriptions.js';

export function apiRoutes(deps: Omit<ApiDeps, 'articles' | 'previewDigest'>): RouteTable[] {
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
  return [health, publishRoutes(deps), subscriptionRoutes(deps), digestSendRoutes(deps)];
}
