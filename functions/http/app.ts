/**
 * The HTTP API: a plain fetch function (Lambda, the local server and tests all call it the
 * same way). Every route lives under /api; every error leaves through problem.ts.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { SiteConfig } from '../core/site.js';
import type { ArticleStore, DigestStore, PublishRunStore, PublishTrigger } from '../core/ports.js';
import { articleRoutes } from './articles.js';
import type { DeliveryApi } from './delivery-api.js';
import { digestRoutes } from './digest.js';
import { digestSendRoutes } from './digest-sends.js';
import { openApiDocument, RouteTable, type RouteDoc } from './openapi.js';
import { HttpProblem, onError, onNotFound } from './problem.js';
import { publishRoutes } from './publish.js';
import { HealthSchema } from './schemas.js';
import { subscriptionRoutes } from './subscriptions.js';

export interface ApiDeps {
  site: SiteConfig;
  /** Bearer token for write routes. */
  apiToken: string;
  articles: ArticleStore;
  runs: PublishRunStore;
  /** Called after a run is created as 'queued'. */
  publisher: PublishTrigger;
  digests: DigestStore;
  /** The digest the next publish would send; undefined when there is nothing new. */
  previewDigest: () => Promise<{ subject: string; html: string; text: string } | undefined>;
  now: () => Date;
  /** Run ids. */
  newId: () => string;
  /**
   * Subscriptions and digest sends (compose-delivery.ts: deliveryApi). Without it those
   * routes answer 503 rather than vanish, so a deployment that forgot to wire it says so.
   */
  delivery?: DeliveryApi;
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.onError(onError);
  app.notFound(onNotFound);
  // Scoped to /api so an app that mounts this one beside a static site leaves the site's headers alone.
  app.use('/api/*', apiHeaders);

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
  const tables = [health, articleRoutes(deps), publishRoutes(deps), digestRoutes(deps), subscriptionRoutes(deps), digestSendRoutes(deps)];
  const docs: RouteDoc[] = [];
  for (const table of tables) {
    app.route('/api', table.app);
    docs.push(...table.docs.map((doc) => ({ ...doc, path: `/api${doc.path}` })));
  }

  let document: Record<string, unknown> | undefined;
  app.get('/api/openapi.json', (c) => {
    document ??= openApiDocument(
      { title: `${deps.site.title} API`, version: '1.0.0', description: 'Write articles, publish them, preview the next digest.' },
      docs,
    );
    return c.json(document, 200);
  });

  rejectOtherMethods(app);
  return app;
}

/** API answers are per-request and must not be cached by CloudFront or sniffed by browsers. */
const apiHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
};

/**
 * A known path asked with a method it does not serve is a 405 naming the allowed ones, not
 * a 404; registered last, so it only sees requests no real route answered.
 */
function rejectOtherMethods(app: Hono): void {
  const allowed = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const methods = allowed.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    allowed.set(route.path, methods);
  }
  for (const [path, methods] of allowed) {
    const allow = [...methods].sort().join(', ');
    app.all(path, (c) => {
      throw new HttpProblem(405, `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`, [{ field: 'method', message: `must be one of ${allow}` }], {
        Allow: allow,
      });
    });
  }
}
