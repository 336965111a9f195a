/**
 * Signed links for confirming and unsubscribing: `<payload>.<mac>`, both base64url, where
 * the payload names the purpose, the subscriber, the expiry and the subscription it was made
 * for (the subscriber's `generation`), and the MAC is HMAC-SHA256 over it with the
 * deployment's secret. A token is bound to its purpose (an unsubscribe token cannot
 * confirm) and to its subscription (rules.ts: tokenFits), expires, and is compared in
 * constant time. Tokens issued before the subscription was named carry none.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PressrunError } from '../errors.js';

export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences';

const DAY_MS = 86_400_000;

/**
 * How long a token stays valid. A confirmation is asked for right away: three days is
 * plenty. An unsubscribe link lives in mails people keep for a long time (RFC 8058
 * one-click links are followed from old mails too), so it lasts 400 days: more than a year
 * of a mailbox, while a link leaked long ago still dies eventually. Every digest carries a
 * fresh one.
 */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  confirm: 3 * DAY_MS,
  unsubscribe: 400 * DAY_MS,
  // In every mail beside the unsubscribe link, and as long-lived: an old mail still leads to the choices.
  preferences: 400 * DAY_MS,
};

/** The secret must be long enough that guessing it is no shortcut to forging a MAC. */
export const MIN_SECRET_LENGTH = 32;

const purposeCodes: Record<TokenPurpose, string> = { confirm: 'c', unsubscribe: 'u', preferences: 'p' };
const MAC_DOMAIN = 'pressrun-token-v1';
const shape = /^[A-Za-z0-9_-]{1,200}\.[A-Za-z0-9_-]{43}$/;
const claimsShape = /^([cup]):([A-Za-z0-9_-]{1,64}):(\d{1,12})(?::(\d{1,9}))?$/;

export interface TokenClaims {
  purpose: TokenPurpose;
  /** The subscriber id. */
  subject: string;
  expiresAt: Date;
  /** The subscriber's `generation` the token was made for; absent in tokens issued before tokens named it. */
  generation?: number;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`${MAC_DOMAIN}.${payload}`).digest('base64url');
}

function checkSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`The token secret must be at least ${MIN_SECRET_LENGTH} characters`);
}

export function signToken(secret: string, claims: TokenClaims): string {
  checkSecret(secret);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(claims.subject)) throw new Error(`Not a token subject: ${claims.subject}`);
  const { generation } = claims;
  if (generation !== undefined && !(Number.isInteger(generation) && generation >= 0 && generation < 1e9))
    throw new Error(`Not a subscription generation: ${generation}`);
  const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
  const bound = generation === undefined ? '' : `:${generation}`;
  const payload = Buffer.from(`${purposeCodes[claims.purpose]}:${claims.subject}:${seconds}${bound}`, 'utf8').toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * A token for `purpose` and `subject`, valid for its purpose's lifetime from `now`, made for
 * the subscriber's subscription `generation` (omitted only to make the tokens of old).
 */
export function issueToken(secret: string, purpose: TokenPurpose, subject: string, now: Date, generation?: number): string {
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]);
  return signToken(secret, { purpose, subject, expiresAt, ...(generation === undefined ? {} : { generation }) });
}

/** When a token was issued, to the second (its expiry less its purpose's lifetime). */
export const issuedAt = (claims: Pick<TokenClaims, 'purpose' | 'expiresAt'>): Date =>
  new Date(claims.expiresAt.getTime() - TOKEN_LIFETIME_MS[claims.purpose]);

export type TokenRefusal = 'malformed' | 'forged' | 'wrong-purpose' | 'expired';

const messages: Record<TokenRefusal, string> = {
  malformed: 'is not a complete link token; copy the whole link from the email',
  forged: 'was not issued by this site',
  'wrong-purpose': 'belongs to another kind of link',
  expired: 'has expired',
};

/** The refusal, readable by pages that explain what to do next. */
export class TokenError extends PressrunError {
  constructor(readonly refusal: TokenRefusal) {
    super('invalid', `The link ${messages[refusal]}`, [{ field: 'token', message: messages[refusal] }]);
    this.name = 'TokenError';
  }
}

/**
 * The subscriber a token was issued for. Throws a TokenError unless the token is well
 * formed, carries this site's MAC (checked before anything in it is believed), serves
 * `purpose`, and has not expired at `now`.
 */
export function verifyToken(secret: string, token: unknown, purpose: TokenPurpose, now: Date): TokenClaims {
  checkSecret(secret);
  if (typeof token !== 'string' || !shape.test(token)) throw new TokenError('malformed');
  const dot = token.indexOf('.');
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'ascii');
  const expected = Buffer.from(mac(secret, payload), 'ascii');
  // Both are 43 ASCII characters (the shape says so), so timingSafeEqual cannot throw on length.
  if (!timingSafeEqual(given, expected)) throw new TokenError('forged');
  const claims = claimsShape.exec(Buffer.from(payload, 'base64url').toString('utf8'));
  // Signed by us yet unreadable: only a key shared with another format could do that.
  if (!claims) throw new TokenError('malformed');
  const [, code, subject, seconds, generation] = claims as unknown as [string, string, string, string, string | undefined];
  if (code !== purposeCodes[purpose]) throw new TokenError('wrong-purpose');
  const expiresAt = new Date(Number(seconds) * 1000);
  if (expiresAt.getTime() <= now.getTime()) throw new TokenError('expired');
  return { purpose, subject, expiresAt, ...(generation === undefined ? {} : { generation: Number(generation) }) };
}
