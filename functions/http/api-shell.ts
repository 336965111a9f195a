/**
 * What every API function shares around its routes: errors leave through problem.ts, /api
 * answers are never cached, a known path asked with another method is a 405, and
 * /api/openapi.json describes every route, including those another function serves.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { SiteConfig } from '../core/site.js';
import { openApiDocument, type RouteDoc, type RouteTable } from './openapi.js';
import { methodNotAllowed, onError, onNotFound } from './problem.js';

export interface ShellOptions {
  site: SiteConfig;
  tables: RouteTable[];
  /** Serve /api/openapi.json, listing the tables' routes and these, served by another function. */
  openApi?: { alsoDocumented: RouteDoc[] };
  /** Runs before every route: in Lambda, the check that the request came through CloudFront (origin-guard.ts). */
  guard?: MiddlewareHandler;
}

export function apiShell({ site, tables, openApi, guard }: ShellOptions): Hono {
  const app = new Hono();
  app.onError(onError);
  app.notFound(onNotFound);
  // Scoped to /api so an app that mounts this one beside a static site leaves the site's headers alone.
  app.use('/api/*', apiHeaders);
  if (guard) app.use('*', guard);

  const docs: RouteDoc[] = [];
  for (const table of tables) {
    app.route('/api', table.app);
    docs.push(...table.docs);
  }

  if (openApi) {
    docs.push(...openApi.alsoDocumented);
    let document: Record<string, unknown> | undefined;
    app.get('/api/openapi.json', (c) => {
      document ??= openApiDocument(
        { title: `${site.title} API`, version: '1.0.0', description: 'Write articles, publish them, preview the next digest.' },
        docs.map((doc) => ({ ...doc, path: `/api${doc.path}` })),
      );
      return c.json(document, 200);
    });
  }

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
    app.all(path, (c) => methodNotAllowed(c, allow));
  }
}
