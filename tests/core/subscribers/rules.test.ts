import { describe, expect, it } from 'vitest';
import type { Subscriber, SubscriberStatus } from '../../../functions/core/subscribers/ports.js';
import { confirm, subscribe, suppress, tokenFits, unsubscribe } from '../../../functions/core/subscribers/rules.js';
import { issueToken, verifyToken, type TokenPurpose } from '../../../functions/core/subscribers/tokens.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const LATER = new Date('2025-06-02T08:30:00.000Z');

function makeSubscriber(status: SubscriberStatus, overrides: Partial<Subscriber> = {}): Subscriber {
  return {
    id: 'AbCdEfGhIjKlMnOpQrStUv',
    email: 'reader@example.com',
    status,
    source: 'form',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    version: 3,
    ...overrides,
  };
}

describe('subscribing', () => {
  it('makes a new address pending and asks it to confirm', () => {
    const decision = subscribe(undefined, { id: 'x', email: 'a@b.example', source: 'form', now: NOW });
    expect(decision.confirm).toBe(true);
    expect(decision.next).toMatchObject({
      status: 'pending',
      source: 'form',
      requestedAt: NOW.toISOString(),
      createdAt: NOW.toISOString(),
    });
  });

  it.each(['pending', 'unsubscribed'] as const)('refreshes a %s address to pending and asks again', (status) => {
    const decision = subscribe(makeSubscriber(status), { id: 'x', email: 'a@b.example', source: 'api', now: LATER });
    expect(decision.confirm).toBe(true);
    expect(decision.next).toMatchObject({
      status: 'pending',
      source: 'api',
      requestedAt: LATER.toISOString(),
      createdAt: NOW.toISOString(),
    });
    expect(decision.next).not.toHaveProperty('version');
  });

  it('starts a new subscription (one generation up) for a new or unsubscribed address, and keeps a pending one on its own', () => {
    const request = { id: 'x', email: 'a@b.example', source: 'form', now: LATER };
    expect(subscribe(undefined, request).next?.generation).toBe(1);
    expect(subscribe(makeSubscriber('unsubscribed', { generation: 4 }), request).next?.generation).toBe(5);
    expect(subscribe(makeSubscriber('pending', { generation: 4 }), request).next?.generation).toBe(4);
    // Records from before generations were kept are on generation 0.
    expect(subscribe(makeSubscriber('unsubscribed'), request).next?.generation).toBe(1);
    expect(subscribe(makeSubscriber('pending'), request).next).not.toHaveProperty('generation');
  });

  it.each(['confirmed', 'bounced', 'complained'] as const)('leaves a %s address alone and mails it nothing', (status) => {
    expect(subscribe(makeSubscriber(status), { id: 'x', email: 'a@b.example', source: 'form', now: LATER })).toEqual({ confirm: false });
  });
});

describe('confirming', () => {
  it('confirms a pending address, recording when and how consent came', () => {
    const { outcome, next } = confirm(makeSubscriber('pending', { source: 'form' }), LATER);
    expect(outcome).toBe('confirmed');
    expect(next).toMatchObject({ status: 'confirmed', confirmedAt: LATER.toISOString(), consentSource: 'form' });
  });

  it('is harmless a second time', () => {
    expect(confirm(makeSubscriber('confirmed'), LATER)).toEqual({ outcome: 'already-confirmed' });
  });

  it.each(['unsubscribed', 'bounced', 'complained'] as const)('refuses a %s address: it needs a new subscription', (status) => {
    expect(confirm(makeSubscriber(status), LATER)).toEqual({ outcome: 'not-pending' });
  });

  it('refuses an unknown subscriber', () => {
    expect(confirm(undefined, LATER)).toEqual({ outcome: 'not-pending' });
  });
});

describe('unsubscribing', () => {
  it.each(['pending', 'confirmed'] as const)('unsubscribes a %s address at once', (status) => {
    expect(unsubscribe(makeSubscriber(status), { source: 'one-click', now: LATER })).toMatchObject({
      status: 'unsubscribed',
      unsubscribedAt: LATER.toISOString(),
      source: 'one-click',
    });
  });

  it.each(['unsubscribed', 'bounced', 'complained'] as const)('changes nothing for a %s address', (status) => {
    expect(unsubscribe(makeSubscriber(status), { source: 'one-click', now: LATER })).toBeUndefined();
  });
});

describe('suppressing', () => {
  it('records an unknown address as suppressed, so it is never mailed', () => {
    expect(suppress(undefined, { id: 'x', email: 'gone@example.com', reason: 'bounced', now: NOW })).toMatchObject({
      status: 'bounced',
      suppressedAt: NOW.toISOString(),
    });
  });

  it.each(['pending', 'confirmed', 'unsubscribed'] as const)('suppresses a %s address', (status) => {
    expect(suppress(makeSubscriber(status), { id: 'x', email: 'a@b.example', reason: 'complained', now: LATER })).toMatchObject({
      status: 'complained',
    });
  });

  it('ends in the same state whatever order duplicate and late events arrive in', () => {
    const orders: Array<Array<'bounced' | 'complained'>> = [
      ['bounced', 'complained'],
      ['complained', 'bounced'],
      ['bounced', 'bounced', 'complained', 'bounced'],
      ['complained', 'complained'],
    ];
    const finals = orders.map((order) => {
      let current = makeSubscriber('confirmed');
      for (const reason of order) {
        const next = suppress(current, { id: current.id, email: current.email, reason, now: LATER });
        if (next) current = { ...next, version: current.version + 1 };
      }
      return current.status;
    });
    expect(finals).toEqual(['complained', 'complained', 'complained', 'complained']);
  });
});

describe('whether a link token was made for the subscription a record is on', () => {
  const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
  const claims = (purpose: TokenPurpose, issued: Date, generation?: number) =>
    verifyToken(SECRET, issueToken(SECRET, purpose, 'AbCdEfGhIjKlMnOpQrStUv', issued, generation), purpose, issued);
  const SECOND_BEFORE = new Date(NOW.getTime() - 1000);

  it.each([
    // A token naming its subscription fits that one only.
    ['a token of the same generation', 'confirmed', { generation: 2 }, 'unsubscribe', NOW, 2, true],
    ['a token of an earlier generation', 'confirmed', { generation: 3 }, 'unsubscribe', LATER, 2, false],
    ['a generation-0 token on a record from before generations', 'confirmed', {}, 'unsubscribe', NOW, 0, true],
    ['a generation-0 token on a later subscription', 'pending', { generation: 1 }, 'confirm', LATER, 0, false],
    // Tokens of old (no generation): only where unambiguous.
    [
      'an old token, issued after the subscription was requested',
      'confirmed',
      { requestedAt: NOW.toISOString() },
      'unsubscribe',
      LATER,
      undefined,
      true,
    ],
    ['an old token, issued in the same second', 'pending', { requestedAt: '2025-06-01T12:00:00.900Z' }, 'confirm', NOW, undefined, true],
    [
      'an old token, issued before the subscription was requested',
      'confirmed',
      { requestedAt: NOW.toISOString() },
      'unsubscribe',
      SECOND_BEFORE,
      undefined,
      false,
    ],
    ['an old token, no request recorded, issued after the record was made', 'confirmed', {}, 'unsubscribe', NOW, undefined, true],
    [
      'an old token on a subscription started since generations were kept',
      'confirmed',
      { generation: 1, requestedAt: NOW.toISOString() },
      'unsubscribe',
      LATER,
      undefined,
      false,
    ],
  ] as const)('%s: %s', (_case, status, record, purpose, issued, generation, fits) => {
    expect(tokenFits(makeSubscriber(status, { ...record }), claims(purpose, issued, generation))).toBe(fits);
  });
});
