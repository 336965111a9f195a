/**
 * The API wired to real DynamoDB stores on dynalite, as the Lambda wires it to AWS; only the
 * publish trigger and the digest preview are stand-ins, both small and our own.
 */
import { DynamoArticleStore } from '../../functions/adapters/dynamo-article-store.js';
import { DynamoDigestStore } from '../../functions/adapters/dynamo-digest-store.js';
import { DynamoPublishRunStore } from '../../functions/adapters/dynamo-publish-run-store.js';
import type { ApiDeps } from '../../functions/http/api-deps.js';
import { createApp } from '../../functions/http/app.js';
import type { LocalAws } from '../support/local-aws.js';
import { makeSite } from '../support/factories.js';
import { RecordingTrigger } from '../support/fakes/publish-trigger.js';

export { makeSite } from '../support/factories.js';

export const API_TOKEN = 'test-api-token-4f9c2d7e1a';
export const NOW = new Date('2025-06-01T12:00:00.000Z');

export function makeDigestPreview() {
  return {
    subject: 'This week: three new articles',
    html: '<!doctype html><html><body><h1>This week</h1><p>Three new articles.</p></body></html>',
    text: 'This week\n\nThree new articles.',
  };
}

export function buildApi(aws: LocalAws, overrides: Partial<ApiDeps> = {}) {
  let runNumber = 0;
  const trigger = new RecordingTrigger();
  const deps: ApiDeps = {
    site: makeSite(),
    apiToken: API_TOKEN,
    articles: new DynamoArticleStore(aws.doc, aws.tableName),
    runs: new DynamoPublishRunStore(aws.doc, aws.tableName),
    publisher: trigger,
    digests: new DynamoDigestStore(aws.doc, aws.tableName),
    previewDigest: async () => makeDigestPreview(),
    now: () => NOW,
    newId: () => `run-${Date.now().toString(36)}-${++runNumber}`,
    ...overrides,
  };
  return { app: createApp(deps), deps, trigger };
}

export const auth = { Authorization: `Bearer ${API_TOKEN}` };
export const jsonHeaders = { ...auth, 'Content-Type': 'application/json' };

/** A valid JSON article body; unique slug per call unless given. */
let bodies = 0;
export function articleJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = ++bodies;
  return {
    title: `Hello number ${n}`,
    slug: `hello-number-${n}-${Date.now().toString(36)}`,
    body: `Some *Markdown* text for article ${n}.`,
    published: '2025-05-01T09:00:00Z',
    tags: ['news'],
    ...overrides,
  };
}

/** A response body as the type the API documents for it. */
export const readJson = <T>(response: Response): Promise<T> => response.json() as Promise<T>;

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: Array<{ field: string; message: string }>;
}
