/**
 * The HTTP API: a plain fetch function (Lambda, the local server and tests all call it the
 * same way). Every route lives under /api; every error leaves through problem.ts.
 */
import type { Hono } from 'hono';
import type { ApiDeps } from './api-deps.js';
import { apiRoutes } from './api-routes.js';
import { apiShell } from './api-shell.js';
import { articleRoutes } from './articles.js';
import { digestRoutes } from './digest.js';

/** The whole API in one app: what the local server and the tests run (in the cloud it is split, see handlers/). */
export function createApp(deps: ApiDeps): Hono {
  return apiShell({
    site: deps.site,
    tables: [...apiRoutes(deps), digestRoutes(deps), articleRoutes(deps)],
    openApi: { alsoDocumented: [] },
  });
}
