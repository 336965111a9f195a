/**
 * /api/digest/preview: the digest the next publish would send, before anyone receives it;
 * for publishers only (the bearer token), as rendering it is the costliest thing a request
 * can ask for. In the cloud the preview function (built from the publish bundle, where MJML
 * is) serves it; the API function only documents it (digestDocs).
 */
import { notFound } from '../core/errors.js';
import type { ApiDeps } from './api-deps.js';
import { requireBearer } from './auth.js';
import { defineRoute, RouteTable } from './openapi.js';
import { bearerSecurity, DigestPreviewSchema, PreviewQuerySchema, problemResponses } from './schemas.js';

// The preview is our own sanitized HTML, but it is served from the site's origin: it gets no script and no forms.
const previewPolicy = "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; sandbox";

export const digestDocs = {
  preview: defineRoute({
    method: 'get',
    path: '/digest/preview',
    summary: 'Preview the next digest',
    description: 'Rendered once for each content of the next digest, and kept while nothing in it changes.',
    security: bearerSecurity,
    query: PreviewQuerySchema,
    responses: {
      200: {
        description: 'The digest: HTML, its plain-text part, or both with the subject as JSON',
        content: {
          'text/html': { schema: { type: 'string' as const } },
          'text/plain': { schema: { type: 'string' as const } },
          'application/json': { schema: DigestPreviewSchema },
        },
      },
      ...problemResponses(401, 404, 422),
    },
  }),
};

export function digestRoutes(deps: Pick<ApiDeps, 'previewDigest' | 'apiToken'>): RouteTable {
  const table = new RouteTable();
  table.route({ ...digestDocs.preview, middleware: [requireBearer(deps.apiToken)] }, async (c, input) => {
    const { format } = input.query;
    const digest = await deps.previewDigest();
    if (!digest) throw notFound('Nothing is new since the last digest: the next publish would send none');
    if (format === 'json') return c.json({ subject: digest.subject, html: digest.html, text: digest.text }, 200);
    if (format === 'text') return c.text(digest.text, 200);
    return c.html(digest.html, 200, { 'Content-Security-Policy': previewPolicy });
  });
  return table;
}
