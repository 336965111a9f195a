import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/http/app.js';
import type { ApiDeps } from '../../functions/http/api-deps.js';
import { makeSite, readJson } from './harness.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string };
  paths: Record<
    string,
    Record<string, { security?: unknown[]; responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/** The document needs no store: every dependency here throws if the route under test ever called it. */
function appWithoutStores() {
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not used by /api/openapi.json')) });
  const deps = {
    site: makeSite(),
    apiToken: 'token',
    articles: unused,
    runs: unused,
    publisher: unused,
    digests: unused,
    previewDigest: async () => undefined,
    now: () => new Date(),
    newId: () => 'x',
  } as unknown as ApiDeps;
  return createApp(deps);
}

describe('GET /api/openapi.json', () => {
  it('describes every route in OpenAPI 3.1, article and publish routes guarded by the bearer scheme', async () => {
    const response = await appWithoutStores().request('/api/openapi.json');
    expect(response.status).toBe(200);
    const doc = await readJson<OpenApiDocument>(response);

    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Example News API');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/articles',
      '/api/articles/{slug}',
      '/api/confirm',
      '/api/digest/preview',
      '/api/digests/{id}',
      '/api/digests/{id}/resume',
      '/api/digests/{id}/send',
      '/api/digests/{id}/test',
      '/api/health',
      '/api/preferences',
      '/api/publish',
      '/api/publish-runs/{id}',
      '/api/subscribe',
      '/api/unsubscribe',
    ]);
    expect(Object.keys(doc.paths['/api/articles/{slug}']!).sort()).toEqual(['delete', 'get', 'put']);
    expect(doc.components.securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });

    // Reads of articles are guarded too: they include drafts and scheduled articles.
    const guarded = [
      doc.paths['/api/articles']!.post,
      doc.paths['/api/articles']!.get,
      doc.paths['/api/articles/{slug}']!.get,
      doc.paths['/api/articles/{slug}']!.put,
      doc.paths['/api/articles/{slug}']!.delete,
      doc.paths['/api/publish']!.post,
      doc.paths['/api/digests/{id}']!.get,
      doc.paths['/api/digests/{id}/send']!.post,
      doc.paths['/api/digests/{id}/resume']!.post,
      doc.paths['/api/digests/{id}/test']!.post,
      doc.paths['/api/digest/preview']!.get,
    ];
    for (const operation of guarded) expect(operation?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/health']!.get!.security).toBeUndefined();
    // The subscription routes are public: a reader has no token, a mail provider's one-click POST neither.
    expect(doc.paths['/api/subscribe']!.post!.security).toBeUndefined();
    expect(doc.paths['/api/unsubscribe']!.post!.security).toBeUndefined();
  });

  it('documents the article body from the same schema the core validates, and problems as RFC 9457', async () => {
    const doc = await readJson<OpenApiDocument>(await appWithoutStores().request('/api/openapi.json'));
    const create = doc.paths['/api/articles']!.post!;
    expect(Object.keys(create.requestBody!.content).sort()).toEqual(['application/json', 'text/markdown']);
    expect(doc.components.schemas.ArticleInput).toMatchObject({ type: 'object', required: ['title'], additionalProperties: false });
    expect(Object.keys((doc.components.schemas.ArticleInput as { properties: object }).properties)).toEqual(
      expect.arrayContaining(['title', 'slug', 'body', 'html', 'published', 'tags', 'image', 'draft']),
    );
    expect(create.responses['422']).toEqual({
      description: expect.any(String),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  });
});
