import { describe, expect, it } from 'vitest';
import type { Subscriber, SubscriberStatus } from '../../../functions/core/subscribers/ports.js';
import { confirm, subscribe, suppress, unsubscribe } from '../../../functions/core/subscribers/rules.js';

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
