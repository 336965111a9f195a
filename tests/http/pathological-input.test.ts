/**
 * POST /api/articles with input built to make the parsers slow or deep, as Markdown and as JSON:
 * each answer is a 201, or a 422 problem naming the field and the limit; never a 5xx, never a
 * server busy for seconds. The sizes took the super-linear parsers 5 to 15 seconds (this file's
 * 5 s timeout failed them); parse times for the full 1 MB corpus are in `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { articleJson, auth, buildApi, jsonHeaders, readJson, type ProblemJson } from './harness.js';

const TIMEOUT = 5_000;
let aws: LocalAws;
let api: ReturnType<typeof buildApi>;

beforeAll(async () => {
  aws = await startLocalAws();
  api = buildApi(aws);
});
afterAll(() => aws.close());

let articles = 0;
const markdownHeaders = { ...auth, 'Content-Type': 'text/markdown' };
const postMarkdown = (body: string, frontMatter = `title: Pathological ${++articles}`) =>
  api.app.request('/api/articles', { method: 'POST', headers: markdownHeaders, body: `---\n${frontMatter}\n---\n${body}` });
const postJson = (fields: Record<string, unknown>) =>
  api.app.request('/api/articles', { method: 'POST', headers: jsonHeaders, body: JSON.stringify(articleJson(fields)) });
const lines = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join('\n');

async function expectProblem(response: Response, field: string, limit: RegExp): Promise<void> {
  const problem = await readJson<ProblemJson>(response);
  expect({ status: response.status, errors: problem.errors }).toEqual({
    status: 422,
    errors: [{ field, message: expect.stringMatching(limit) }],
  });
}

describe('bodies that took seconds to parse are created', () => {
  it.each([
    ['`_a` runs (100 KB)', '_a'.repeat(50_000)],
    ['`*a` runs (200 KB)', '*a'.repeat(100_000)],
    ['a table of 20,000 rows (190 KB)', `| a | b |\n|---|---|\n${lines(20_000, (i) => `|${i}|y|`)}`],
  ])(
    '%s as Markdown and as JSON',
    async (_name, body) => {
      expect((await postMarkdown(body)).status).toBe(201);
      expect((await postJson({ body })).status).toBe(201);
    },
    TIMEOUT * 2,
  );

  it('HTML nested 5,000 deep, as JSON html', async () => {
    const response = await postJson({ body: undefined, html: `${'<div>'.repeat(5_000)}deep text` });
    expect(response.status).toBe(201);
    expect((await readJson<{ text: string }>(response)).text).toBe('deep text');
  });

  it.each([['colspan="100000"'], ['rowspan="1.5"']])(
    'a table cell with %s, as JSON html',
    async (span) => {
      const html = `<table><tr><td ${span}>cell</td><td>b</td></tr><tr><td>c</td></tr></table>`;
      expect((await postJson({ body: undefined, html })).status).toBe(201);
    },
    TIMEOUT,
  );
});

describe('input past a limit is refused with a 422 naming the field and the limit', () => {
  it('">" nested 1,000 deep, as Markdown and as JSON', async () => {
    const body = `${'>'.repeat(1_000)} deep`;
    await expectProblem(await postMarkdown(body), 'body', /more than 32 levels/);
    await expectProblem(await postJson({ body }), 'body', /more than 32 levels/);
  });

  it('a list nested 33 deep, as JSON', async () => {
    await expectProblem(await postJson({ body: lines(33, (i) => `${'  '.repeat(i)}- level ${i}`) }), 'body', /more than 32 levels/);
  });

  it.each([
    ['20,000 keys (200 KB)', `title: Keys\n${lines(20_000, (i) => `key${i}: value`)}`, /at most 65536 characters/],
    ['1,001 keys', `title: Keys\n${lines(1_000, (i) => `key${i}: value`)}`, /more than 1000 keys/],
    [
      'billion laughs',
      ['title: Laughs', 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]']
        .concat('cdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'bcdefgh'[i]}`).join(', ')}]`))
        .join('\n'),
      /aliases more than 100 times/,
    ],
    ['sequences nested 5,000 deep', `title: Deep\ntags: ${'['.repeat(5_000)}${']'.repeat(5_000)}`, /more than 16 levels/],
  ])(
    'front matter with %s',
    async (_name, frontMatter, limit) => {
      await expectProblem(await postMarkdown('Text.', frontMatter), 'front-matter', limit);
    },
    TIMEOUT,
  );

  it.each([
    ['arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
  ])('JSON %s nested 10,000 deep', async (_name, nested) => {
    const body = JSON.stringify(articleJson()).replace(/^\{/, `{"nested":${nested},`);
    const response = await api.app.request('/api/articles', { method: 'POST', headers: jsonHeaders, body });
    await expectProblem(response, 'body', /more than 32 levels/);
  });
});
