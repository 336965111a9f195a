/**
 * Secrets from the AWS Parameters and Secrets Lambda extension: a local HTTP endpoint that
 * fetches from Secrets Manager with the function's role and caches, so no SDK client is
 * bundled for it. The extension does not answer during a function's init phase, so a
 * secret is read on the first invocation, and kept for the life of the execution
 * environment (after a rotation, new environments see the new value). node:http rather
 * than fetch: fetch's first call loads undici's HTTP machinery, tens of milliseconds of
 * cold start for one local request.
 */
import { get } from 'node:http';

export interface SecretsExtensionOptions {
  port: number;
  /** AWS_SESSION_TOKEN of the function; the extension refuses requests without it. */
  sessionToken: string | undefined;
  /** Attempts while the extension is starting. @default 5 */
  attempts?: number;
}

export class SecretsExtension {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly options: SecretsExtensionOptions) {}

  /** The secret's string value; fetched once, retried on the next call if fetching failed. */
  get(secretId: string): Promise<string> {
    let value = this.cache.get(secretId);
    if (!value) {
      value = this.fetch(secretId);
      value.catch(() => this.cache.delete(secretId));
      this.cache.set(secretId, value);
    }
    return value;
  }

  private async fetch(secretId: string): Promise<string> {
    const { port, sessionToken, attempts = 5 } = this.options;
    if (!sessionToken) throw new Error(`Cannot read secret ${secretId}: AWS_SESSION_TOKEN is not set (the secrets extension needs it)`);
    const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
    let lastProblem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await httpGet(url, { 'X-Aws-Parameters-Secrets-Token': sessionToken });
        if (response.status === 200) {
          const body = JSON.parse(response.body) as { SecretString?: unknown };
          if (typeof body.SecretString !== 'string' || body.SecretString === '') throw new Error(`Secret ${secretId} has no string value`);
          return body.SecretString;
        }
        lastProblem = `HTTP ${response.status}: ${response.body.slice(0, 200)}`;
        // Missing secret or missing permission: asking again will not help.
        if (response.status === 403 || response.status === 404) break;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('Secret ')) throw error;
        lastProblem = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
    throw new Error(`Cannot read secret ${secretId} from the secrets extension on port ${port}: ${lastProblem}`);
  }
}

function httpGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers, timeout: 5_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}
