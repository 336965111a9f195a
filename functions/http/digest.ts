/** /api/digest/preview: the digest the next publish would send, before anyone receives it. */
import { notFound } from '../core/errors.js';
import type { ApiDeps } from './app.js';
import { RouteTable } from './openapi.js';
import { DigestPreviewSchema, PreviewQuerySchema, problemResponses } from './schemas.js';

// The preview is our own sanitized HTML, but it is served from the site's origin: it gets no script and no forms.
const previewPolicy = "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; sandbox";

export function digestRoutes(deps: Pick<ApiDeps, 'previewDigest'>): RouteTable {
  const table = new RouteTable();

  table.route(
    {
      method: 'get',
      path: '/digest/preview',
      summary: 'Preview the next digest',
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
        ...problemResponses(404, 422),
      },
    },
    async (c, input) => {
      const { format } = input.query;
      const digest = await deps.previewDigest();
      if (!digest) throw notFound('Nothing is new since the last digest: the next publish would send none');
      if (format === 'json') return c.json(digest, 200);
      if (format === 'text') return c.text(digest.text, 200);
      return c.html(digest.html, 200, { 'Content-Security-Policy': previewPolicy });
    },
  );

  return table;
}
