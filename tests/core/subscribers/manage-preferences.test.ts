import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import { readChoices, saveChoices } from '../../../functions/core/subscribers/manage-preferences.js';
import type { Subscriber, SubscriberStatus } from '../../../functions/core/subscribers/ports.js';
import { DEFAULT_PREFERENCES } from '../../../functions/core/subscribers/preferences.js';
import { issueToken, signToken, TokenError } from '../../../functions/core/subscribers/tokens.js';
import { InMemorySubscriberStore } from '../../support/fakes/subscriber-store.js';

const SECRET = 'a-test-secret-that-is-long-enough-1234567890';
const NOW = new Date('2025-06-01T12:00:00.000Z');
const LATER = new Date('2025-06-02T08:30:00.000Z');
const ID = 'AbCdEfGhIjKlMnOpQrStUv';

async function reader(status: SubscriberStatus, overrides: Partial<Subscriber> = {}) {
  const subscribers = new InMemorySubscriberStore();
  const at = NOW.toISOString();
  await subscribers.save(
    { id: ID, email: 'reader@example.com', status, source: 'form', createdAt: at, updatedAt: at, generation: 2, ...overrides },
    0,
  );
  return { deps: { tokenSecret: SECRET, subscribers }, subscribers, token: issueToken(SECRET, 'preferences', ID, NOW, 2) };
}

async function refusal(promise: Promise<unknown>): Promise<PressrunError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PressrunError)) throw new Error(`expected a PressrunError, got ${String(error)}`);
  return error;
}

describe('reading a reader’s choices', () => {
  it('shows a reader who never chose the defaults, and changes nothing', async () => {
    const { deps, subscribers, token } = await reader('confirmed');
    const before = await subscribers.get(ID);
    expect(await readChoices(deps, { token, now: LATER })).toEqual({
      email: 'reader@example.com',
      status: 'confirmed',
      preferences: DEFAULT_PREFERENCES,
    });
    expect(await subscribers.get(ID)).toEqual(before);
  });

  it('shows a pending reader too: choices made before confirming apply once they confirm', async () => {
    const { deps, token } = await reader('pending', { preferences: { ...DEFAULT_PREFERENCES, cadence: 'weekly' } });
    expect(await readChoices(deps, { token, now: LATER })).toMatchObject({ status: 'pending', preferences: { cadence: 'weekly' } });
  });

  it.each([
    ['a link of another purpose', () => issueToken(SECRET, 'unsubscribe', ID, NOW, 2), 'wrong-purpose'],
    ['an expired link', () => signToken(SECRET, { purpose: 'preferences', subject: ID, expiresAt: NOW, generation: 2 }), 'expired'],
    ['a forged link', () => `${issueToken(SECRET, 'preferences', ID, NOW, 2).slice(0, -2)}AA`, 'forged'],
    ['no link', () => undefined, 'malformed'],
  ])('refuses %s as the unsubscribe link would', async (_what, token, why) => {
    const { deps } = await reader('confirmed');
    const error = await refusal(readChoices(deps, { token: token(), now: LATER }));
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).refusal).toBe(why);
    expect(error.problems[0]?.field).toBe('token');
  });

  it.each(['unsubscribed', 'bounced', 'complained'] as const)('answers a conflict for a subscription that ended (%s)', async (status) => {
    const { deps, token } = await reader(status);
    const error = await refusal(readChoices(deps, { token, now: LATER }));
    expect(error.kind).toBe('conflict');
    expect(error.problems[0]?.field).toBe('token');
  });

  it('answers a conflict for the link of an earlier subscription of the address, and for nobody', async () => {
    const { deps } = await reader('confirmed');
    const old = issueToken(SECRET, 'preferences', ID, NOW, 1);
    expect((await refusal(readChoices(deps, { token: old, now: LATER }))).kind).toBe('conflict');
    const nobody = issueToken(SECRET, 'preferences', 'NobodyNobodyNobody0000', NOW, 1);
    expect((await refusal(readChoices(deps, { token: nobody, now: LATER }))).kind).toBe('conflict');
  });
});

describe('saving a reader’s choices', () => {
  it('changes what was sent, keeps the rest, and stamps the change', async () => {
    const { deps, subscribers, token } = await reader('confirmed', { preferences: { ...DEFAULT_PREFERENCES, format: 'full' } });
    const saved = await saveChoices(deps, {
      token,
      preferences: { topics: ['travel', 'science'], cadence: 'weekly', weekday: 5 },
      now: LATER,
    });
    const expected = { topics: ['science', 'travel'], cadence: 'weekly', format: 'full', hour: 7, weekday: 5 };
    expect(saved).toEqual({ email: 'reader@example.com', status: 'confirmed', preferences: expected });
    expect(await subscribers.get(ID)).toMatchObject({
      status: 'confirmed',
      preferences: expected,
      updatedAt: LATER.toISOString(),
      version: 2,
    });
  });

  it('refuses a bad choice naming its field, and writes nothing', async () => {
    const { deps, subscribers, token } = await reader('confirmed');
    const error = await refusal(saveChoices(deps, { token, preferences: { cadence: 'hourly' }, now: LATER }));
    expect(error.kind).toBe('invalid');
    expect(error.problems.map((p) => p.field)).toEqual(['preferences.cadence']);
    expect((await subscribers.get(ID))?.version).toBe(1);
  });

  it('checks the link before the choices: a bad link with bad choices is about the link', async () => {
    const { deps } = await reader('confirmed');
    const error = await refusal(saveChoices(deps, { token: 'nonsense', preferences: { cadence: 'hourly' }, now: LATER }));
    expect(error.problems[0]?.field).toBe('token');
  });

  it('changes nothing for a subscription that ended: a conflict', async () => {
    const { deps, subscribers, token } = await reader('unsubscribed');
    expect((await refusal(saveChoices(deps, { token, preferences: { format: 'full' }, now: LATER }))).kind).toBe('conflict');
    expect((await subscribers.get(ID))?.preferences).toBeUndefined();
  });

  it('reads again and keeps both changes when the subscriber changed meanwhile', async () => {
    const { subscribers, token } = await reader('confirmed');
    let raced = false;
    const racing = {
      get: (id: string) => subscribers.get(id),
      save: async (record: Omit<Subscriber, 'version'>, version: number) => {
        if (!raced) {
          raced = true;
          const current = (await subscribers.get(ID))!;
          const { version: v, ...rest } = current;
          await subscribers.save({ ...rest, confirmedAt: LATER.toISOString() }, v);
        }
        return subscribers.save(record, version);
      },
    };
    await saveChoices({ tokenSecret: SECRET, subscribers: racing }, { token, preferences: { format: 'full' }, now: LATER });
    expect(await subscribers.get(ID)).toMatchObject({ confirmedAt: LATER.toISOString(), preferences: { format: 'full' }, version: 3 });
  });
});
