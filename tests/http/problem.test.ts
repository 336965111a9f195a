import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DynamoArticleStore } from '../../functions/adapters/dynamo-article-store.js';
import { PressrunError, type ErrorKind } from '../../functions/core/errors.js';
import { onError, onNotFound } from '../../functions/http/problem.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { auth, buildApi, readJson, type ProblemJson } from './harness.js';

/** A bare app whose one route throws what the test gives it, answered by problem.ts alone. */
function throwing(error: unknown) {
  const app = new Hono();
  app.onError(onError);
  app.notFound(onNotFound);
  app.get('/throw', () => {
    throw error;
  });
  return app.request('/throw');
}

describe('onError', () => {
  it.each<[ErrorKind, number]>([
    ['invalid', 422],
    ['malformed', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not-found', 404],
    ['conflict', 409],
    ['too-large', 413],
    ['unsupported-media-type', 415],
    ['rate-limited', 429],
    ['unavailable', 503],
  ])('answers a %s PressrunError with %i and its problems', async (kind, status) => {
    const response = await throwing(new PressrunError(kind, `a ${kind} problem`, [{ field: 'title', message: 'is wrong' }]));
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await readJson<ProblemJson>(response)).toEqual({
      type: 'about:blank',
      title: expect.any(String),
      status,
      detail: `a ${kind} problem`,
      errors: [{ field: 'title', message: 'is wrong' }],
    });
  });

  it('names the body when the core names the whole input', async () => {
    const response = await throwing(new PressrunError('malformed', 'not an object', [{ field: '', message: 'must be an object' }]));
    expect((await readJson<ProblemJson>(response)).errors).toEqual([{ field: 'body', message: 'must be an object' }]);
  });

  it.each([
    [new HTTPException(400, { message: 'Malformed JSON in request body' }), 400, 'body'],
    [new HTTPException(413), 413, 'body'],
    [new HTTPException(415, { message: 'Unsupported Media Type' }), 415, 'content-type'],
    [new HTTPException(401), 401, 'authorization'],
  ])('maps a hono HTTPException to its status and the field it is about (%#)', async (error, status, field) => {
    const response = await throwing(error);
    expect(response.status).toBe(status);
    expect((await readJson<ProblemJson>(response)).errors.map((e) => e.field)).toEqual([field]);
  });

  it('maps an edit without If-Match to 428 Precondition Required', async () => {
    const response = await throwing(
      new PressrunError('precondition-required', 'Send If-Match', [{ field: 'if-match', message: 'is required' }]),
    );
    expect(response.status).toBe(428);
    expect((await readJson<ProblemJson>(response)).title).toBe('Precondition Required');
  });

  it('names every path of a ZodError that escaped validation, and each unknown key', async () => {
    const result = z.strictObject({ authors: z.array(z.object({ url: z.string() })) }).safeParse({ authors: [{ url: 1 }], extra: true });
    const response = await throwing(result.error);
    expect(response.status).toBe(422);
    expect((await readJson<ProblemJson>(response)).errors.map((e) => e.field)).toEqual(['authors.0.url', 'extra']);
  });

  it('answers anything else with a 500 that tells the client nothing and the log everything', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await throwing(new Error('connection string postgres://admin:hunter2@db'));
      expect(response.status).toBe(500);
      const problem = await readJson<ProblemJson>(response);
      expect(problem).toMatchObject({ status: 500, errors: [] });
      expect(JSON.stringify(problem)).not.toContain('hunter2');
      expect(log).toHaveBeenCalledWith('GET /throw failed', expect.objectContaining({ message: expect.stringContaining('hunter2') }));
    } finally {
      log.mockRestore();
    }
  });
});

describe('a failing dependency', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(() => aws.close());

  it('is a 500 problem, not a crash, when DynamoDB refuses the request', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { app } = buildApi(aws, { articles: new DynamoArticleStore(aws.doc, 'no-such-table') });
      const response = await app.request('/api/articles/some-article', { headers: auth });
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect((await readJson<ProblemJson>(response)).detail).not.toMatch(/table/i);
      expect(log).toHaveBeenCalledOnce();
    } finally {
      log.mockRestore();
    }
  });
});
