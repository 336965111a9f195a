import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsExtension, SecretsManagerApi } from '../../functions/adapters/secrets-extension.js';
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

/**
 * Secrets Manager's JSON API as AWS answers it, checking each request's SigV4 signature by
 * signing what arrived again with the same credentials and its own date.
 */
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};
const versions: Record<string, Record<string, string>> = {
  'arn:secret:api': { AWSCURRENT: 'the-api-token' },
  'arn:secret:rotated': { AWSCURRENT: 'new-value', AWSPREVIOUS: 'old-value' },
};
let api: { endpoint: string; requests: Array<Record<string, unknown>>; failNext: number[]; close: () => void };

beforeAll(async () => {
  const requests: Array<Record<string, unknown>> = [];
  const failNext: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const { authorization, ...headers } = req.headers as Record<string, string>;
        const date = headers['x-amz-date']!;
        const signingDate = new Date(
          `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 11)}:${date.slice(11, 13)}:${date.slice(13)}`,
        );
        const signed = Object.fromEntries(
          /SignedHeaders=([^,]+)/
            .exec(authorization ?? '')![1]!
            .split(';')
            .map((h) => [h, headers[h]!]),
        );
        const expected = await new SignatureV4({ credentials, region: 'eu-central-2', service: 'secretsmanager', sha256: Sha256 }).sign(
          { method: req.method!, protocol: 'http:', hostname: '127.0.0.1', path: req.url!, query: {}, headers: signed, body },
          { signingDate },
        );
        const input = JSON.parse(body) as { SecretId: string; VersionStage?: string };
        requests.push({ ...input, target: headers['x-amz-target'], token: headers['x-amz-security-token'] });
        const answer = (status: number, json: object) => {
          res.statusCode = status;
          res.end(JSON.stringify(json));
        };
        const failure = failNext.shift();
        if (failure) return answer(failure, { __type: failure === 400 ? 'ThrottlingException' : 'InternalServiceError' });
        if (authorization !== expected.headers.authorization) return answer(400, { __type: 'InvalidSignatureException' });
        const value = versions[input.SecretId]?.[input.VersionStage ?? 'AWSCURRENT'];
        if (value === undefined) return answer(400, { __type: 'ResourceNotFoundException', message: 'not found' });
        answer(200, { ARN: input.SecretId, SecretString: value, VersionStages: [input.VersionStage ?? 'AWSCURRENT'] });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNext,
    close: () => server.close(),
  };
});
afterAll(() => api.close());

const reader = (options: Partial<ConstructorParameters<typeof SecretsManagerApi>[0]> = {}) =>
  new SecretsManagerApi({ region: 'eu-central-2', credentials, endpoint: api.endpoint, ...options });

describe('SecretsManagerApi (regions without the extension)', () => {
  it('reads a secret with a SigV4-signed GetSecretValue, once per execution environment', async () => {
    const secrets = reader();
    const before = api.requests.length;
    expect(await secrets.get('arn:secret:api')).toBe('the-api-token');
    expect(await secrets.get('arn:secret:api')).toBe('the-api-token');
    expect(api.requests.slice(before)).toEqual([
      { SecretId: 'arn:secret:api', target: 'secretsmanager.GetSecretValue', token: 'session-token' },
    ]);
  });

  it('reads a version of a secret past its cache, and no version as undefined', async () => {
    const secrets = reader();
    expect(await secrets.read('arn:secret:rotated', 'AWSCURRENT')).toBe('new-value');
    expect(await secrets.read('arn:secret:rotated', 'AWSPREVIOUS')).toBe('old-value');
    expect(await secrets.read('arn:secret:api', 'AWSPREVIOUS')).toBeUndefined();
  });

  it('names the secret and the answer when the secret does not exist, without retrying', async () => {
    const before = api.requests.length;
    await expect(reader().get('arn:secret:missing')).rejects.toThrow(/arn:secret:missing .*ResourceNotFoundException/);
    expect(api.requests.length - before).toBe(1);
  });

  it('retries throttling and server errors, and asks again after a failure instead of caching it', async () => {
    api.failNext.push(400, 500);
    expect(await reader().get('arn:secret:api')).toBe('the-api-token');
    const secrets = reader({ attempts: 1 });
    api.failNext.push(500);
    await expect(secrets.get('arn:secret:api')).rejects.toThrow(/HTTP 500/);
    expect(await secrets.get('arn:secret:api')).toBe('the-api-token');
  });

  it('is refused with other credentials', async () => {
    const wrong = reader({ credentials: { ...credentials, secretAccessKey: 'another-key' } });
    await expect(wrong.get('arn:secret:api')).rejects.toThrow(/InvalidSignatureException/);
  });
});
