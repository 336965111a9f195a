import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { GeneratedSecret } from '../../cdk/constructs/generated-secret.js';
import { testApp } from '../support/cdk-app.js';

const secret = (length: number) =>
  new GeneratedSecret(new Stack(testApp(), 'Secrets'), 'Key', { description: 'a key', length, notRotatedBecause: 'a test' });

describe('GeneratedSecret', () => {
  it.each([32, 4096])('generates %i characters', (length) => {
    expect(() => secret(length)).not.toThrow();
  });

  it.each([16, 31, 4097, 40.5])('refuses a length of %s, saying which lengths it takes and why', (length) => {
    expect(() => secret(length)).toThrow(
      `GeneratedSecret Key: length must be a whole number from 32 to 4096, got ${length}: fewer letters`,
    );
  });
});
