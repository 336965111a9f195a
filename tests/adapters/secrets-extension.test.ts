import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsExtension } from '../../functions/adapters/secrets-extension.js';
import { startSecretsExtension } from '../support/aws-stand-ins.js';

const TOKEN = 'session-token';
let extension: Awaited<ReturnType<typeof startSecretsExtension>>;

beforeAll(async () => {
  extension = await startSecretsExtension(
    { 'arn:secret:api': 'the-api-token', 'arn:secret:rotated': { current: 'new-value', previous: 'old-value' } },
    TOKEN,
  );
});
afterAll(() => extension.close());

describe('SecretsExtension', () => {
  it('reads a secret with the session token, once per execution environment', async () => {
    const secrets = new SecretsExtension({ port: extension.port, sessionToken: TOKEN });
    const before = extension.requests.length;
    expect(await secrets.get('arn:secret:api')).toBe('the-api-token');
    expect(await secrets.get('arn:secret:api')).toBe('the-api-token');
    expect(extension.requests.length - before).toBe(1);
  });

  it('names the secret and the answer when the secret does not exist, without retrying', async () => {
    const secrets = new SecretsExtension({ port: extension.port, sessionToken: TOKEN, attempts: 3 });
    const before = extension.requests.length;
    await expect(secrets.get('arn:secret:missing')).rejects.toThrow(/arn:secret:missing .*HTTP 404/);
    expect(extension.requests.length - before).toBe(1);
  });

  it('retries while the extension is not answering, then says where it looked', async () => {
    const secrets = new SecretsExtension({ port: 1, sessionToken: TOKEN, attempts: 2 });
    await expect(secrets.get('arn:secret:api')).rejects.toThrow(/secrets extension on port 1/);
  });

  it('tries the next address when nothing listens at the first', async () => {
    // 127.0.0.2 is loopback too, and nothing listens there.
    const secrets = new SecretsExtension({ port: extension.port, sessionToken: TOKEN, attempts: 1, hosts: ['127.0.0.2', '127.0.0.1'] });
    expect(await secrets.get('arn:secret:api')).toBe('the-api-token');
  });

  it('asks again after a failure instead of caching it', async () => {
    const secrets = new SecretsExtension({ port: extension.port, sessionToken: 'wrong', attempts: 1 });
    await expect(secrets.get('arn:secret:api')).rejects.toThrow(/HTTP 401/);
    await expect(secrets.get('arn:secret:api')).rejects.toThrow(/HTTP 401/);
  });

  it('refuses to ask without a session token', async () => {
    await expect(new SecretsExtension({ port: extension.port, sessionToken: undefined }).get('arn:secret:api')).rejects.toThrow(
      /AWS_SESSION_TOKEN is not set/,
    );
  });

  it('reads a version of a secret past its cache, and no version as undefined', async () => {
    const secrets = new SecretsExtension({ port: extension.port, sessionToken: TOKEN });
    const before = extension.requests.length;
    expect(await secrets.read('arn:secret:rotated', 'AWSCURRENT')).toBe('new-value');
    expect(await secrets.read('arn:secret:rotated', 'AWSCURRENT')).toBe('new-value');
    expect(await secrets.read('arn:secret:rotated', 'AWSPREVIOUS')).toBe('old-value');
    expect(await secrets.read('arn:secret:api', 'AWSPREVIOUS')).toBeUndefined();
    expect(extension.requests.length - before).toBe(4);
  });
});
