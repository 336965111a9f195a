import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  issueToken,
  signToken,
  TOKEN_LIFETIME_MS,
  TokenError,
  verifyToken,
  type TokenPurpose,
  type TokenRefusal,
} from '../../../functions/core/subscribers/tokens.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const OTHER_SECRET = 'another-secret-that-is-long-enough-9876543210';
const NOW = new Date('2025-06-01T12:00:00.000Z');
const SUBJECT = 'AbCdEfGhIjKlMnOpQrStUv';

function refusal(token: unknown, purpose: TokenPurpose = 'unsubscribe', now = NOW): TokenRefusal | 'accepted' {
  try {
    verifyToken(SECRET, token, purpose, now);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).problems[0]?.field).toBe('token');
    return (error as TokenError).refusal;
  }
}

/** A small deterministic generator, so a failure names a case that can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
  return { int: (n: number) => Math.floor(next() * n) };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('signed tokens', () => {
  it.each(['confirm', 'unsubscribe', 'preferences'] as const)(
    'a %s token issued now verifies for its purpose and names its subscriber',
    (purpose) => {
      const token = issueToken(SECRET, purpose, SUBJECT, NOW);
      const claims = verifyToken(SECRET, token, purpose, NOW);
      expect(claims.subject).toBe(SUBJECT);
      expect(claims.expiresAt.getTime()).toBe(Math.floor((NOW.getTime() + TOKEN_LIFETIME_MS[purpose]) / 1000) * 1000);
    },
  );

  it.each(['confirm', 'unsubscribe', 'preferences'] as const)(
    'a %s token names the subscription it was made for; one of old names none',
    (purpose) => {
      expect(verifyToken(SECRET, issueToken(SECRET, purpose, SUBJECT, NOW, 7), purpose, NOW).generation).toBe(7);
      expect(verifyToken(SECRET, issueToken(SECRET, purpose, SUBJECT, NOW, 0), purpose, NOW).generation).toBe(0);
      const old = issueToken(SECRET, purpose, SUBJECT, NOW);
      expect(verifyToken(SECRET, old, purpose, NOW)).not.toHaveProperty('generation');
      // The format of old, as mailed before tokens named a subscription, still verifies.
      const seconds = Math.floor((NOW.getTime() + TOKEN_LIFETIME_MS[purpose]) / 1000);
      expect(Buffer.from(old.split('.')[0]!, 'base64url').toString()).toBe(`${purpose[0]}:${SUBJECT}:${seconds}`);
    },
  );

  it('keeps each purpose to itself: a preference link neither confirms nor unsubscribes, and neither of those opens the choices', () => {
    const preferences = issueToken(SECRET, 'preferences', SUBJECT, NOW, 1);
    expect(refusal(preferences, 'confirm')).toBe('wrong-purpose');
    expect(refusal(preferences, 'unsubscribe')).toBe('wrong-purpose');
    expect(refusal(issueToken(SECRET, 'unsubscribe', SUBJECT, NOW, 1), 'preferences')).toBe('wrong-purpose');
    expect(refusal(issueToken(SECRET, 'confirm', SUBJECT, NOW, 1), 'preferences')).toBe('wrong-purpose');
  });

  it('cannot be moved to another subscription: the generation is under the MAC', () => {
    const token = issueToken(SECRET, 'unsubscribe', SUBJECT, NOW, 1);
    const [payload, mac] = token.split('.') as [string, string];
    const moved = Buffer.from(Buffer.from(payload, 'base64url').toString().replace(/:1$/, ':2')).toString('base64url');
    expect(refusal(`${moved}.${mac}`)).toBe('forged');
  });

  it.each([-1, 1.5, 1e9])('refuses to sign for a generation that is not one: %s', (generation) => {
    expect(() => issueToken(SECRET, 'confirm', SUBJECT, NOW, generation)).toThrow(/generation/);
  });

  it('is URL-safe and carries no address', () => {
    const token = issueToken(SECRET, 'unsubscribe', SUBJECT, NOW);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('keeps an unsubscribe link working for more than a year, and a confirmation link for days', () => {
    const unsubscribe = issueToken(SECRET, 'unsubscribe', SUBJECT, NOW);
    expect(refusal(unsubscribe, 'unsubscribe', new Date(NOW.getTime() + 366 * 86_400_000))).toBe('accepted');
    const confirm = issueToken(SECRET, 'confirm', SUBJECT, NOW);
    expect(refusal(confirm, 'confirm', new Date(NOW.getTime() + 2 * 86_400_000))).toBe('accepted');
    expect(refusal(confirm, 'confirm', new Date(NOW.getTime() + 4 * 86_400_000))).toBe('expired');
  });

  it.each([
    ['malformed', undefined],
    ['malformed', 42],
    ['malformed', ''],
    ['malformed', 'not-a-token'],
    ['malformed', '.'],
    ['malformed', `abc.${'A'.repeat(42)}`],
    ['malformed', `abc.${'A'.repeat(44)}`],
    ['malformed', `a b.${'A'.repeat(43)}`],
    ['forged', `abc.${'A'.repeat(43)}`],
  ] as const)('refuses as %s: %j', (expected, token) => {
    expect(refusal(token)).toBe(expected);
  });

  it('refuses more than a thousand forged, truncated, expired and wrong-purpose tokens, each for the right reason', () => {
    const random = generator(20250601);
    const cases: Array<{ token: string; purpose: TokenPurpose; now: Date; expected: TokenRefusal[] }> = [];
    for (let n = 0; n < 300; n++) {
      const purpose: TokenPurpose = n % 2 === 0 ? 'confirm' : 'unsubscribe';
      const subject = Array.from({ length: 22 }, () => ALPHABET[random.int(64)]).join('');
      const token = issueToken(SECRET, purpose, subject, NOW);
      const [payload, mac] = token.split('.') as [string, string];

      // Truncated anywhere: too short to be a token, or a MAC that no longer matches.
      cases.push({ token: token.slice(0, 1 + random.int(token.length - 1)), purpose, now: NOW, expected: ['malformed', 'forged'] });
      // One character of the payload changed: the MAC no longer covers it.
      const at = random.int(payload.length);
      const swapped = ALPHABET[(ALPHABET.indexOf(payload[at]!) + 1 + random.int(63)) % 64]!;
      cases.push({ token: `${payload.slice(0, at)}${swapped}${payload.slice(at + 1)}.${mac}`, purpose, now: NOW, expected: ['forged'] });
      // One character of the MAC changed.
      const m = random.int(mac.length);
      const macSwap = ALPHABET[(ALPHABET.indexOf(mac[m]!) + 1 + random.int(63)) % 64]!;
      cases.push({ token: `${payload}.${mac.slice(0, m)}${macSwap}${mac.slice(m + 1)}`, purpose, now: NOW, expected: ['forged'] });
      // Signed with another key; or a payload claiming another subscriber, with a MAC guessed at random.
      cases.push({ token: issueToken(OTHER_SECRET, purpose, subject, NOW), purpose, now: NOW, expected: ['forged'] });
      cases.push({
        token: `${Buffer.from(`${purpose[0]}:${subject}:9999999999`).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
        purpose,
        now: NOW,
        expected: ['forged'],
      });
      // Used for the other purpose.
      cases.push({ token, purpose: purpose === 'confirm' ? 'unsubscribe' : 'confirm', now: NOW, expected: ['wrong-purpose'] });
      // Expired: checked a moment after its expiry.
      const expiry = signToken(SECRET, { purpose, subject, expiresAt: new Date(NOW.getTime() - 1000 - random.int(10 ** 9)) });
      cases.push({ token: expiry, purpose, now: NOW, expected: ['expired'] });
    }
    // Random strings of token shape.
    for (let n = 0; n < 100; n++) {
      const junk = Array.from({ length: 10 + random.int(80) }, () => ALPHABET[random.int(64)]).join('');
      cases.push({
        token: `${junk}.${Array.from({ length: 43 }, () => ALPHABET[random.int(64)]).join('')}`,
        purpose: 'unsubscribe',
        now: NOW,
        expected: ['forged'],
      });
    }

    expect(cases.length).toBeGreaterThanOrEqual(1000);
    const wrong = cases.filter((c) => !c.expected.includes(refusal(c.token, c.purpose, c.now) as TokenRefusal));
    expect(wrong.map((c) => ({ token: c.token, purpose: c.purpose, got: refusal(c.token, c.purpose, c.now) }))).toEqual([]);
  });

  it('refuses to sign or verify with a short secret', () => {
    expect(() => issueToken('short', 'confirm', SUBJECT, NOW)).toThrow(/at least 32/);
    expect(() => verifyToken('short', 'x.y', 'confirm', NOW)).toThrow(/at least 32/);
  });
});
