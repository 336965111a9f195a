import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import { digestOfEvent, suppressionsFrom } from '../../../functions/core/subscribers/ses-events.js';

function sesEvent(overrides: Record<string, unknown>): string {
  return JSON.stringify({
    mail: { messageId: '0100018f-abc', destination: ['reader@example.com'], tags: { digest: ['2025-06-01-abcd1234'] } },
    ...overrides,
  });
}

describe('reading SES notifications', () => {
  it.each([
    [
      'a permanent bounce (event publishing)',
      sesEvent({
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bouncedRecipients: [{ emailAddress: 'gone@example.com' }, { emailAddress: '"Old" <old@example.com>' }],
        },
      }),
      [
        { email: 'gone@example.com', reason: 'bounced' },
        { email: 'old@example.com', reason: 'bounced' },
      ],
    ],
    [
      'a permanent bounce (identity notification)',
      sesEvent({
        notificationType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'gone@example.com' }] },
      }),
      [{ email: 'gone@example.com', reason: 'bounced' }],
    ],
    [
      'a complaint',
      sesEvent({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'angry@example.com' }] } }),
      [{ email: 'angry@example.com', reason: 'complained' }],
    ],
  ])('suppresses the recipients of %s', (_what, message, expected) => {
    expect(suppressionsFrom(message)).toEqual(expected);
  });

  it.each([
    [
      'a transient bounce',
      sesEvent({ eventType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'full@example.com' }] } }),
    ],
    [
      'an undetermined bounce',
      sesEvent({ eventType: 'Bounce', bounce: { bounceType: 'Undetermined', bouncedRecipients: [{ emailAddress: 'x@example.com' }] } }),
    ],
    ['a delivery', sesEvent({ eventType: 'Delivery', delivery: { recipients: ['reader@example.com'] } })],
    ['a send', sesEvent({ eventType: 'Send' })],
    ['a bounce without recipients', sesEvent({ eventType: 'Bounce', bounce: { bounceType: 'Permanent' } })],
    ['something else entirely', JSON.stringify(['not', 'an', 'event'])],
  ])('suppresses nobody for %s', (_what, message) => {
    expect(suppressionsFrom(message)).toEqual([]);
  });

  it('refuses a message that is not JSON, naming it', () => {
    expect(() => suppressionsFrom('<xml/>')).toThrow(PressrunError);
  });

  it('names the digest whose send a mail belonged to, from the message tags event publishing returns', () => {
    expect(digestOfEvent(sesEvent({ eventType: 'Bounce', mail: { tags: { kind: ['digest'], digest: ['2025-06-01-abcd1234'] } } }))).toBe(
      '2025-06-01-abcd1234',
    );
  });

  it.each([
    ['a test copy', { tags: { kind: ['digest-test'], digest: ['2025-06-01-abcd1234'] } }],
    ['a confirmation mail', { tags: { kind: ['confirmation'] } }],
    ['an identity notification (no tags)', { messageId: 'm' }],
    ['a tag that is not a list of one id', { tags: { kind: ['digest'], digest: 'x' } }],
  ])('names no digest for %s', (_what, mail) => {
    expect(digestOfEvent(sesEvent({ eventType: 'Bounce', mail }))).toBeUndefined();
  });
});
