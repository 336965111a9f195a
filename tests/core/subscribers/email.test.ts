import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import { normalizeEmail, SUBSCRIBER_ID_PATTERN, subscriberId } from '../../../functions/core/subscribers/email.js';

describe('normalizeEmail', () => {
  it.each([
    ['reader@example.com', 'reader@example.com'],
    ['  Reader@Example.COM ', 'reader@example.com'],
    ['first.last+news@mail.example.co.uk', 'first.last+news@mail.example.co.uk'],
    ['someone@bücher.example', 'someone@xn--bcher-kva.example'],
    ['trailing@example.com.', 'trailing@example.com'],
    ["o'brien@example.ie", "o'brien@example.ie"],
  ])('reads %j as %j', (raw, normalized) => {
    expect(normalizeEmail(raw)).toBe(normalized);
  });

  it.each([
    [''],
    ['   '],
    ['no-at-sign'],
    ['@example.com'],
    ['reader@'],
    ['reader@localhost'],
    ['reader@example.123'],
    ['two..dots@example.com'],
    ['.leading@example.com'],
    ['"quoted"@example.com'],
    ['with space@example.com'],
    ['reader@-bad-.example'],
    ['reader@exa_mple.com'],
    [`${'x'.repeat(65)}@example.com`],
    [`reader@${'a'.repeat(250)}.com`],
    ['reader@example.com\r\nBcc: victim@example.com'],
  ])('refuses %j, naming the email field', (raw) => {
    try {
      normalizeEmail(raw);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PressrunError);
      expect((error as PressrunError).kind).toBe('invalid');
      expect((error as PressrunError).problems[0]?.field).toBe('email');
    }
  });

  it.each([[undefined], [42], [{ email: 'a@b.example' }]])('refuses the non-string %j', (raw) => {
    expect(() => normalizeEmail(raw)).toThrow(PressrunError);
  });
});

describe('subscriberId', () => {
  it('is the same for every spelling of one address and differs between addresses', () => {
    const a = subscriberId(normalizeEmail('Reader@Example.com'));
    expect(subscriberId(normalizeEmail(' reader@example.COM'))).toBe(a);
    expect(subscriberId(normalizeEmail('other@example.com'))).not.toBe(a);
  });

  it('is 22 base64url characters and never contains the address', () => {
    const id = subscriberId('reader@example.com');
    expect(id).toMatch(SUBSCRIBER_ID_PATTERN);
    expect(id).not.toContain('reader');
  });
});
