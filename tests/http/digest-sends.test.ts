import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationSuppressor } from '../../functions/wiring/delivery.js';
import { deliveryHarness, seedConfirmed, storeDigest } from '../support/delivery-harness.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { auth, buildApi, jsonHeaders, makeSite, NOW, readJson, type ProblemJson } from './harness.js';

let aws: LocalAws;
let harness: ReturnType<typeof deliveryHarness>;
let app: ReturnType<typeof buildApi>['app'];

beforeAll(async () => {
  aws = await startLocalAws();
  harness = deliveryHarness(aws, { site: makeSite(), now: () => NOW });
  app = buildApi(aws, { delivery: harness.api() }).app;
  await seedConfirmed(harness.stores.subscribers, 75, 'api');
  await storeDigest(harness.stores.digests, '2025-06-01-api', makeSite());
});
afterAll(() => aws.close());

describe('the digest send routes', () => {
  it.each([
    ['GET', '/api/digests/2025-06-01-api'],
    ['POST', '/api/digests/2025-06-01-api/send'],
    ['POST', '/api/digests/2025-06-01-api/test'],
    ['POST', '/api/digests/2025-06-01-api/resume'],
  ])('%s %s needs the bearer token', async (method, path) => {
    const response = await app.request(path, { method });
    expect(response.status).toBe(401);
  });

  it('starts a send, reports its progress, and sends everyone once', async () => {
    const unsent = await readJson<{ send: { status: string } }>(await app.request('/api/digests/2025-06-01-api', { headers: auth }));
    expect(unsent.send.status).toBe('unsent');

    const started = await app.request('/api/digests/2025-06-01-api/send', { method: 'POST', headers: auth });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe('/api/digests/2025-06-01-api');
    expect(await readJson(started)).toEqual({ digestId: '2025-06-01-api', status: 'queued', recipients: 75, batches: 2, enqueued: 2 });

    const sending = await readJson<{ subject: string; articles: string[]; send: Record<string, unknown> }>(
      await app.request('/api/digests/2025-06-01-api', { headers: auth }),
    );
    expect(sending.articles).toHaveLength(10);
    expect(sending.send).toMatchObject({ status: 'sending', recipients: 75, sent: 0, pending: 75, batches: { total: 2, sent: 0 } });

    for (const ref of harness.queue.refs) await harness.services.worker(ref);
    const done = await readJson<{ send: Record<string, unknown> }>(await app.request('/api/digests/2025-06-01-api', { headers: auth }));
    expect(done.send).toMatchObject({ status: 'sent', recipients: 75, sent: 75, failed: 0, pending: 0, review: 0 });

    const again = await app.request('/api/digests/2025-06-01-api/send', { method: 'POST', headers: auth });
    expect(await readJson(again)).toMatchObject({ status: 'queued', enqueued: 0 });
    expect(harness.ses.accepted.filter((m) => m.tags.digest === '2025-06-01-api')).toHaveLength(75);
  });

  it('reports the progress of a round (the send of readers who chose each article, daily or weekly), which has no digest of its own', async () => {
    const round = 'round-20250601T0800';
    const ledger = harness.stores.ledger;
    await ledger.openJob(round, 'planner', NOW, new Date(NOW.getTime() + 60_000));
    await ledger.addBatch({ digestId: round, batch: 1, recipients: [{ id: 'r1', email: 'r1@example.com', content: 'c-1' }] });
    await ledger.completeSnapshot(round, 'planner', { recipients: 1, batches: 1, contents: 1 }, NOW);
    const response = await app.request(`/api/digests/${round}`, { headers: auth });
    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({
      id: round,
      createdAt: '2025-06-01T08:00:00.000Z',
      articles: [],
      send: { status: 'sending', recipients: 1, pending: 1 },
    });
    expect((await app.request('/api/digests/round-20250601T0805', { headers: auth })).status).toBe(404);
  });

  it('mails a marked test copy to one address without touching the ledger', async () => {
    await storeDigest(harness.stores.digests, '2025-06-01-api-test', makeSite());
    const response = await app.request('/api/digests/2025-06-01-api-test/test', {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ email: 'Editor@Example.com' }),
    });
    expect(response.status).toBe(202);
    expect(await readJson(response)).toMatchObject({ to: 'editor@example.com', test: true });
    expect(harness.ses.accepted.at(-1)?.tags).toEqual({ kind: 'digest-test', digest: '2025-06-01-api-test' });
    const progress = await readJson<{ send: { status: string } }>(await app.request('/api/digests/2025-06-01-api-test', { headers: auth }));
    expect(progress.send.status).toBe('unsent');
  });

  it.each([
    ['an unknown digest', '/api/digests/2025-01-01-nothing/send', undefined, 404, undefined],
    ['resuming an unknown digest', '/api/digests/2025-01-01-nothing/resume', undefined, 404, undefined],
    ['resuming a send never started', '/api/digests/2025-06-01-api-test/resume', undefined, 409, 'status'],
    ['a malformed digest id', '/api/digests/not%20an%20id/send', undefined, 400, 'id'],
    ['a test send without an address', '/api/digests/2025-06-01-api/test', {}, 422, 'email'],
    ['a test send to no address', '/api/digests/2025-06-01-api/test', { email: 'nobody' }, 422, 'email'],
    ['a test send with an unknown field', '/api/digests/2025-06-01-api/test', { email: 'a@example.com', bcc: 'b@example.com' }, 422, 'bcc'],
  ])('refuses %s', async (_what, path, body, status, field) => {
    const response = await app.request(path, { method: 'POST', headers: jsonHeaders, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect(response.status).toBe(status);
    if (field) expect((await readJson<ProblemJson>(response)).errors.map((e) => e.field)).toContain(field);
  });

  it('documents the subscription and send routes in the OpenAPI document', async () => {
    const doc = await readJson<{ paths: Record<string, Record<string, unknown>> }>(await app.request('/api/openapi.json'));
    expect(Object.keys(doc.paths['/api/subscribe'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/confirm'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/unsubscribe'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/digests/{id}'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/digests/{id}/send'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/digests/{id}/test'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/digests/{id}/resume'] ?? {})).toEqual(['post']);
  });
});

describe('a send paused by its bounces, through SES and its events', () => {
  it('stops once over 5% hard-bounce, says why, refuses to resume a running send, and resumes without mailing anyone twice', async () => {
    const digestId = '2025-06-01-api-bounces';
    await seedConfirmed(harness.stores.subscribers, 250, 'bouncing');
    await storeDigest(harness.stores.digests, digestId, makeSite());
    const suppressFrom = notificationSuppressor(harness.stores);
    const mine = () => harness.ses.accepted.filter((m) => m.tags.digest === digestId);
    harness.queue.refs.length = 0;
    const started = await app.request(`/api/digests/${digestId}/send`, { method: 'POST', headers: auth });
    // Everyone confirmed in this table: these 250 and the readers of the tests before.
    const { recipients, batches } = await readJson<{ recipients: number; batches: number }>(started);
    expect(recipients).toBeGreaterThan(250);
    // Not stopped: nothing to resume.
    const running = await app.request(`/api/digests/${digestId}/resume`, { method: 'POST', headers: auth });
    expect(running.status).toBe(409);
    expect((await readJson<ProblemJson>(running)).errors).toEqual([{ field: 'status', message: 'is not stopped' }]);

    // SES reports a hard bounce for every tenth mail, with the tags the mailer gave it.
    let reported = 0;
    const outcomes = [];
    for (const ref of harness.queue.refs.splice(0)) {
      outcomes.push((await harness.services.worker(ref)).outcome);
      for (const mail of mine().slice(reported)) {
        if (reported++ % 10 !== 0) continue;
        const tags = Object.fromEntries(Object.entries(mail.tags).map(([name, value]) => [name, [value]]));
        const bounce = { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: mail.to }] };
        await suppressFrom(JSON.stringify({ eventType: 'Bounce', bounce, mail: { messageId: mail.messageId, tags } }));
      }
    }
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'sent', ...Array(batches - 4).fill('stopped')]);
    const stopped = await readJson<{ send: Record<string, unknown> }>(await app.request(`/api/digests/${digestId}`, { headers: auth }));
    expect(stopped.send).toMatchObject({
      status: 'stopped',
      sent: 200,
      pending: recipients - 200,
      stopped: { reason: 'hard-bounce rate 10% (20 of 200) is over 5%' },
    });

    const resumed = await app.request(`/api/digests/${digestId}/resume`, { method: 'POST', headers: auth });
    expect(resumed.status).toBe(202);
    expect(resumed.headers.get('location')).toBe(`/api/digests/${digestId}`);
    const body = await readJson<Record<string, unknown>>(resumed);
    expect(body).toMatchObject({ digestId, status: 'sending', sent: 200, pending: recipients - 200 });
    expect(body).not.toHaveProperty('stopped');
    for (const ref of harness.queue.refs.splice(0)) expect((await harness.services.worker(ref)).outcome).toBe('sent');

    const done = await readJson<{ send: Record<string, unknown> }>(await app.request(`/api/digests/${digestId}`, { headers: auth }));
    expect(done.send).toMatchObject({ status: 'sent', sent: recipients, pending: 0 });
    const deliveries = new Map<string, number>();
    for (const mail of mine()) deliveries.set(mail.to, (deliveries.get(mail.to) ?? 0) + 1);
    expect(deliveries.size).toBe(recipients);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    expect((await app.request(`/api/digests/${digestId}/resume`, { method: 'POST', headers: auth })).status).toBe(409);
  });
});
