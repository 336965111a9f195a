import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDigestStore } from '../../functions/adapters/dynamo-digest-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import type { Digest } from '../../functions/core/digest/ports.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
async function freshStore(): Promise<DynamoDigestStore> {
  const tableName = `digests-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoDigestStore(aws.doc, tableName);
}

function makeDigest(cutoff: string, overrides: Partial<Digest> = {}): Digest {
  const id = cutoff.slice(0, 10);
  return {
    id,
    createdAt: new Date(Date.parse(cutoff) + 3_600_000).toISOString(),
    cutoff,
    articleSlugs: ['second-article', 'first-article'],
    subject: `News digest ${id}`,
    preheader: 'Two new articles this week',
    html: `<html><body><p>Digest ${id} for {{name}}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a></body></html>`,
    text: `Digest ${id}\n\nUnsubscribe: {{unsubscribeUrl}}`,
    ...overrides,
  };
}

const summary = ({ html: _html, text: _text, ...rest }: Digest) => rest;

describe('DynamoDigestStore', () => {
  it('returns a created digest, and the same one from get', async () => {
    const store = await freshStore();
    const digest = makeDigest('2025-05-01T08:00:00.000Z');

    expect(await store.create(digest)).toEqual(digest);
    expect(await store.get(digest.id)).toEqual(digest);
  });

  it('keeps the first digest when one with the same id is created again', async () => {
    const store = await freshStore();
    const first = makeDigest('2025-05-01T08:00:00.000Z');
    await store.create(first);

    const again = await store.create({ ...first, subject: 'Rendered twice', html: '<p>other</p>' });

    expect(again).toEqual(first);
    expect(await store.get(first.id)).toEqual(first);
    expect(await store.list()).toHaveLength(1);
  });

  it('returns undefined for an unknown id, and no latest digest when there is none', async () => {
    const store = await freshStore();

    expect(await store.get('2020-01-01')).toBeUndefined();
    expect(await store.latest()).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('finds the digest with the newest cutoff, whatever the order of creation', async () => {
    const store = await freshStore();
    const [april, june, may] = ['2025-04-01T08:00:00.000Z', '2025-06-01T08:00:00.000Z', '2025-05-01T08:00:00.000Z'].map((cutoff) =>
      makeDigest(cutoff),
    );
    for (const digest of [april!, june!, may!]) await store.create(digest);

    expect(await store.latest()).toEqual(june);
  });

  it('lists every digest newest first, without bodies', async () => {
    const store = await freshStore();
    const digests = ['2025-03-01T08:00:00.000Z', '2025-01-01T08:00:00.000Z', '2025-02-01T08:00:00.000Z'].map((cutoff) =>
      makeDigest(cutoff),
    );
    for (const digest of digests) await store.create(digest);

    const listed = await store.list();

    expect(listed).toEqual([digests[0]!, digests[2]!, digests[1]!].map(summary));
  });
});
