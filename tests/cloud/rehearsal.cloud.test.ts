/**
 * The rehearsal tier (npm run test:cloud): the bundles as synthesized, on moto, driven the way
 * AWS drives them. See tests/cloud/rehearsal.ts for the harness and docs/deploy.md for what it
 * covers and what moto cannot show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/aws-clients.js';
import { DynamoSubscriberStore } from '../../functions/adapters/dynamo-subscriber-store.js';
import { confirmedSubscriber } from '../support/delivery-data.js';
import { awsJson } from './aws-raw.js';
import { REGION } from './moto.js';
import { Rehearsal, type SentMail } from './rehearsal.js';

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

/** Readers put straight into the table as confirmed (the harness's write, not a function's): a digest of more than one batch. */
async function confirmedReaders(count: number, prefix: string): Promise<string[]> {
  const doc = createDocumentClient({
    region: REGION,
    endpoint: r.moto.endpoint,
    credentials: { accessKeyId: 'harness', secretAccessKey: 'harness' },
  });
  const store = new DynamoSubscriberStore(doc, env('SendWorker', 'PRESSRUN_TABLE'));
  const at = '2026-11-01T00:00:00.000Z';
  const addresses = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}@readers.example.net`);
  for (const address of addresses) {
    await store.save(confirmedSubscriber(address, at), 0);
  }
  doc.destroy();
  return addresses;
}

const isDigest = (mail: SentMail) => mail.raw.includes('List-Unsubscribe-Post');
/** Each message's addressees once (moto lists the envelope's and the To header's). */
const recipients = (mails: SentMail[]) =>
  mails.flatMap((m) => [...new Set(m.to.map((to) => to.replace(/^.*<([^>]+)>.*$/, '$1').toLowerCase()))]);
const countBy = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());
/** A header's occurrences in a raw message's header block (unfolded). */
const headerLines = (raw: string, name: string) =>
  raw
    .split(/\r?\n\r?\n/)[0]!
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));

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

  it('subscribes through the mail queue and SES, confirms with the mailed link, sends a scheduled digest in batches once to each reader with one-click unsubscribe, and skips who unsubscribed', async () => {
    await r.fresh('subscribe, confirm, the scheduled digest in batches, one-click unsubscribe, the next digest');
    await postArticle('Library extends hours', '2026-12-02T08:00:00.000Z');
    const readers = ['ada@readers.example.net', 'brook@readers.example.net', 'cyd@readers.example.net'];
    for (const [i, email] of readers.entries()) {
      const answer = await r.api('POST', '/api/subscribe', {
        headers: json,
        body: JSON.stringify({ email }),
        viewer: `198.51.100.${i + 1}`,
      });
      expect(answer.statusCode, answer.body).toBe(202);
    }
    await r.settle();
    const confirmations = (await r.sentMail()).filter((m) => !isDigest(m));
    r.log(`  SES v2 took ${confirmations.length} confirmation mail(s)`);
    expect(recipients(confirmations).sort()).toEqual([...readers].sort());
    for (const mail of confirmations) {
      const link = /https:\/\/[^\s"<>]+\/api\/confirm\?token=[^\s"<>]+/.exec(mail.parsed.text ?? '')?.[0];
      expect(link, `a confirmation link in the mail to ${mail.to.join()}`).toBeDefined();
      const url = new URL(link!.replace(/&amp;/g, '&'));
      const confirmed = await r.api('POST', `${url.pathname}${url.search}`, { headers: json, body: '{}' });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
    }
    const seeded = await confirmedReaders(50, 'seeded');
    r.log(`  + 50 confirmed readers written to the table by the harness (53 in all: more than one batch of 50)`);

    const firstDigest = new Date();
    const scheduled = await r.fireSchedule('Publish', firstDigest);
    expect(scheduled.ok, `${scheduled.errorMessage}\n${scheduled.output}`).toBe(true);
    // The first publish is a full one: it fans out, and its finish (the chunk function's last message) queues the digest's send.
    const chunks = await r.sources.drainQueues({ only: 'PublishChunks' });
    r.log(`  the chunk function carried out ${chunks} batch(es) of the fanned-out publish`);
    expect(chunks).toBeGreaterThanOrEqual(2);
    const sendQueue = env('Publish', 'PRESSRUN_SEND_QUEUE_URL').replace(/^https?:\/\/[^/]+/, r.moto.endpoint);
    const queued = await r.queueDepth(sendQueue);
    r.log(`  the send queue holds ${queued.visible} batch message(s)`);
    expect(queued.visible).toBeGreaterThanOrEqual(2);
    await r.settle();
    const digests = (await r.sentMail()).filter(isDigest);
    const everyone = [...readers, ...seeded];
    const counts = countBy(recipients(digests));
    r.log(`  digest 1: ${digests.length} message(s) for ${everyone.length} confirmed readers`);
    for (const reader of everyone) expect(counts.get(reader), reader).toBe(1);
    expect(digests).toHaveLength(everyone.length);
    for (const mail of digests) {
      expect(headerLines(mail.raw, 'List-Unsubscribe'), mail.to.join()).toHaveLength(1);
      expect(headerLines(mail.raw, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    }

    const ada = digests.find((m) => recipients([m])[0] === readers[0])!;
    const unsubscribeUrl = new URL(/<(https:[^>]+)>/.exec(headerLines(ada.raw, 'List-Unsubscribe')[0]!)![1]!);
    const unsubscribed = await r.api('POST', `${unsubscribeUrl.pathname}${unsubscribeUrl.search}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.statusCode, unsubscribed.body).toBe(200);
    r.log(`  ${readers[0]} unsubscribed with one click: ${unsubscribed.body}`);

    await postArticle('Market moves indoors', '2026-12-03T08:00:00.000Z');
    const before = (await r.sentMail()).length;
    const next = await r.fireSchedule('Publish', new Date(firstDigest.getTime() + 24 * 3600_000));
    expect(next.ok, `${next.errorMessage}\n${next.output}`).toBe(true);
    await r.settle();
    const second = (await r.sentMail()).slice(before).filter(isDigest);
    const secondCounts = countBy(recipients(second));
    r.log(`  digest 2: ${second.length} message(s); ${readers[0]}: ${secondCounts.get(readers[0]!) ?? 0}`);
    expect(secondCounts.has(readers[0]!)).toBe(false);
    for (const reader of everyone.slice(1)) expect(secondCounts.get(reader), reader).toBe(1);
    r.flush();
  });

  it('kills the worker after SES accepted a batch and before it recorded it: SQS hands the batch again after the visibility timeout, and nobody gets a second copy', async () => {
    await r.fresh('the send worker killed between SES accepting and the ledger recording');
    await postArticle('Ferry timetable changes', '2026-12-02T09:00:00.000Z');
    const everyone = await confirmedReaders(4, 'crash');
    // Every reader is in the one batch: SES takes each mail, the worker hears none of it and is killed when SES has taken the last.
    let accepted = 0;
    r.runtime.crashAfter(
      'SendWorker',
      (op) => op.action === 'ses:SendEmail' && op.status === 200 && ++accepted > 0,
      () => accepted === everyone.length,
    );
    const scheduled = await r.fireSchedule('Publish', new Date());
    expect(scheduled.ok, `${scheduled.errorMessage}\n${scheduled.output}`).toBe(true);
    await r.settle();
    const killed = r.sources.invocations.filter((i) => i.fn === 'SendWorker' && i.invocation.killed);
    expect(killed, 'the worker was killed once').toHaveLength(1);
    const taken = recipients((await r.sentMail()).filter(isDigest));
    r.log(`  SES took ${taken.length} mail(s) of the batch; the worker was killed before it heard back`);
    expect(taken.sort()).toEqual([...everyone].sort());

    expect(await r.sources.passVisibilityTimeout()).toBeGreaterThan(0);
    await r.settle();
    const counts = countBy(recipients((await r.sentMail()).filter(isDigest)));
    r.log(
      `  after redelivery: ${[...counts].map(([to, n]) => `${to} ×${n}`).join(', ')}; without a copy: ${everyone.filter((e) => !counts.has(e)).join(', ') || 'nobody'}`,
    );
    for (const reader of everyone) expect(counts.get(reader), reader).toBe(1);
    const sendQueue = env('Publish', 'PRESSRUN_SEND_QUEUE_URL').replace(/^https?:\/\/[^/]+/, r.moto.endpoint);
    expect(await r.queueDepth(sendQueue), 'the batch is finished, not parked for another delivery').toEqual({ visible: 0, inFlight: 0 });
    r.flush();
  });

  it('moves a poison message to the dead-letter queue after maxReceiveCount deliveries', async () => {
    await r.fresh('a poison message on the send queue');
    const sendQueue = env('Publish', 'PRESSRUN_SEND_QUEUE_URL').replace(/^https?:\/\/[^/]+/, r.moto.endpoint);
    const { Attributes } = await awsJson<{ Attributes: { RedrivePolicy: string } }>(
      r.moto.endpoint,
      'sqs',
      'AmazonSQS.GetQueueAttributes',
      {
        QueueUrl: sendQueue,
        AttributeNames: ['RedrivePolicy'],
      },
    );
    const redrive = JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number };
    const dlq = `${r.moto.endpoint}/${redrive.deadLetterTargetArn.split(':')[4]}/${redrive.deadLetterTargetArn.split(':')[5]}`;
    await awsJson(r.moto.endpoint, 'sqs', 'AmazonSQS.SendMessage', {
      QueueUrl: sendQueue,
      MessageBody: '{"kind":"batch","ref":"not a batch"}',
    });
    const before = r.sources.invocations.length;
    for (let round = 0; round <= redrive.maxReceiveCount && (await r.queueDepth(dlq)).visible === 0; round++) {
      await r.sources.drainQueues();
      await r.sources.passVisibilityTimeout();
    }
    const deliveries = r.sources.invocations.slice(before).filter((i) => i.fn === 'SendWorker').length;
    const inDlq = await r.queueDepth(dlq);
    r.log(`  ${deliveries} deliveries (maxReceiveCount ${redrive.maxReceiveCount}); the dead-letter queue holds ${inDlq.visible}`);
    expect(deliveries).toBe(redrive.maxReceiveCount);
    expect(inDlq.visible).toBe(1);
    expect(await r.queueDepth(sendQueue)).toEqual({ visible: 0, inFlight: 0 });
    r.flush();
  });

  /** A publish whose stream record is lost, left queued for two minutes (the harness moves its request time back). */
  async function runLeftQueued(title: string): Promise<{ runId: string; slug: string; status: () => Promise<string> }> {
    const slug = await postArticle(title, '2026-12-02T10:00:00.000Z');
    r.sources.loseStreamRecords = (record) =>
      JSON.stringify((record.dynamodb as { NewImage?: unknown }).NewImage ?? {}).includes('"queued"');
    const queued = await r.api('POST', '/api/publish', { headers: await token() });
    expect(queued.statusCode).toBe(202);
    const { runId } = JSON.parse(queued.body) as { runId: string };
    await r.settle();
    r.sources.loseStreamRecords = undefined;
    const status = async () =>
      (JSON.parse((await r.api('GET', `/api/publish-runs/${runId}`, { headers: await token() })).body) as { status: string }).status;
    expect(await status()).toBe('queued');
    // Two minutes pass: the harness moves the run's request time back (an update: no new INSERT for the stream's filter).
    const requestedAt = new Date(Date.now() - 2 * 60_000).toISOString();
    await awsJson(r.moto.endpoint, 'dynamodb', 'DynamoDB_20120810.UpdateItem', {
      TableName: env('Publish', 'PRESSRUN_TABLE'),
      Key: { pk: { S: `RUN#${runId}` }, sk: { S: 'RUN' } },
      UpdateExpression: 'SET requestedAt = :at',
      ExpressionAttributeValues: { ':at': { S: requestedAt } },
    });
    r.log(`  run ${runId} still queued; its request time moved back to ${requestedAt}`);
    return { runId, slug, status };
  }

  it('re-drives a queued run whose stream record never arrived, at the next scheduled publish', async () => {
    await r.fresh('a queued run whose stream record was lost, re-driven by the scheduled publish');
    const { runId, slug, status } = await runLeftQueued('Park bench count');
    const scheduled = await r.fireSchedule('Publish', new Date());
    expect(scheduled.ok, `${scheduled.errorMessage}\n${scheduled.output}`).toBe(true);
    await r.settle();
    const ended = await status();
    r.log(`  after the scheduled publish: run ${runId} ${ended}`);
    expect(ended).toBe('succeeded');
    expect(await r.object(env('Publish', 'PRESSRUN_BUCKET'), `articles/${slug}/index.html`)).toContain('Park bench count');
    r.flush();
  });

  it('re-drives a queued run whose stream record never arrived, at the next POST /api/publish, through the stream', async () => {
    await r.fresh('a queued run whose stream record was lost, re-driven by the next POST /api/publish');
    const { runId, slug, status } = await runLeftQueued('Bus shelter repainted');
    const next = await r.api('POST', '/api/publish', { headers: await token() });
    expect(next.statusCode).toBe(202);
    await r.settle();
    const ended = await status();
    r.log(`  after the next POST /api/publish: run ${runId} ${ended}`);
    expect(ended).toBe('succeeded');
    const { runId: nextId } = JSON.parse(next.body) as { runId: string };
    const nextRun = JSON.parse((await r.api('GET', `/api/publish-runs/${nextId}`, { headers: await token() })).body) as { status: string };
    expect(nextRun.status).toBe('succeeded');
    expect(await r.object(env('Publish', 'PRESSRUN_BUCKET'), `articles/${slug}/index.html`)).toContain('Bus shelter repainted');
    r.flush();
  });

  it('made only AWS operations each function’s role in the template allows (action and resource)', () => {
    const { table, denied } = r.operationsTable();
    console.log(`\n${table}`);
    expect(
      denied.map((op) => `${op.fn}${op.caller === 'event source' ? ' [event source]' : ''}: ${op.action} on ${op.resources.join(', ')}`),
    ).toEqual([]);
  });
});
