/**
 * The rehearsal tier (npm run test:cloud): the bundles as synthesized, on moto, driven the way
 * AWS drives them. See tests/cloud/rehearsal.ts for the harness and docs/deploy.md for what it
 * covers and what moto cannot show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rehearsal } from './rehearsal.js';

let r: Rehearsal;

beforeAll(async () => {
  r = await Rehearsal.start();
  r.log(
    `synthesized in ${Math.round(r.assembly.ms)} ms; moto on ${r.moto.endpoint}; functions: ${r.runtime.functions.map((f) => f.name).join(', ')}`,
  );
  for (const note of r.deployment.notes) r.log(`note: ${note}`);
  r.flush();
});

afterAll(async () => {
  r?.flush();
  await r?.close();
});

const json = { 'content-type': 'application/json' };
const token = async () => ({ authorization: `Bearer ${await r.secretNamedBy('Api', 'PRESSRUN_API_TOKEN_SECRET_ID')}` });
const env = (fn: string, name: string) => {
  const value = r.runtime.envOf(fn)[name];
  if (!value) throw new Error(`${fn} has no ${name}`);
  return value;
};

async function postArticle(title: string, published: string): Promise<string> {
  const created = await r.api('POST', '/api/articles', {
    headers: { ...(await token()), ...json },
    body: JSON.stringify({ title, body: `Reported from the town hall: **${title}**.`, tags: ['town'], published }),
  });
  expect(created.statusCode, created.body).toBe(201);
  return (JSON.parse(created.body) as { slug: string }).slug;
}

describe('the rehearsal on moto', () => {
  it('publishes an article: POST /api/publish, the table stream through its filter, the publish function, S3 and CloudFront', async () => {
    await r.fresh('an article POSTed, then POST /api/publish through the stream');
    const slug = await postArticle('Bridge reopens', '2026-12-01T08:00:00.000Z');
    const queued = await r.api('POST', '/api/publish', { headers: await token() });
    expect(queued.statusCode, queued.body).toBe(202);
    const { runId } = JSON.parse(queued.body) as { runId: string };
    await r.settle();
    const run = JSON.parse((await r.api('GET', `/api/publish-runs/${runId}`, { headers: await token() })).body) as { status: string };
    r.log(`  run ${runId}: ${run.status}`);
    expect(run.status).toBe('succeeded');
    const bucket = env('Publish', 'PRESSRUN_BUCKET');
    expect(await r.object(bucket, `articles/${slug}/index.html`)).toContain('Bridge reopens');
    expect(await r.object(bucket, 'feed.xml')).toContain('Bridge reopens');
    const invalidations = await r.invalidations(env('Publish', 'PRESSRUN_DISTRIBUTION_ID'));
    r.log(`  CloudFront recorded ${invalidations.length} invalidation(s): ${invalidations.flat().slice(0, 6).join(' ')} …`);
    expect(invalidations.flat()).toEqual(expect.arrayContaining([`/articles/${slug}/index.html`, '/feed.xml']));
    r.flush();
  });
});
