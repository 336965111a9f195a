/**
 * Secrets from the AWS Parameters and Secrets Lambda extension: a local HTTP endpoint that
 * fetches from Secrets Manager with the function's role and caches, so no SDK client is
 * bundled for it. The extension does not answer during a function's init phase, so a
 * secret is read on the first invocation, and kept for the life of the execution
 * environment (after a rotation, new environments see the new value). node:http rather
 * than fetch: fetch's first call loads undici's HTTP machinery, tens of milliseconds of
 * cold start for one local request. For the same reason the address is tried before the
 * name "localhost" the documentation gives: resolving it costs a DNS lookup on the cold
 * path; the name is the fallback should the extension ever listen elsewhere.
 */
import { get } from 'node:http';

export interface SecretsExtensionOptions {
  port: number;
  /** AWS_SESSION_TOKEN of the function; the extension refuses requests without it. */
  sessionToken: string | undefined;
  /** Attempts while the extension is starting. @default 5 */
  attempts?: number;
  /** Where the extension listens, tried in turn when one refuses the connection. @default ['127.0.0.1', 'localhost'] */
  hosts?: readonly string[];
}

const EXTENSION_HOSTS = ['127.0.0.1', 'localhost'];

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

  /**
   * A version of the secret read now, past this cache (the extension keeps its own, for its
   * TTL); AWSPREVIOUS is undefined before the secret's first rotation.
   */
  async read(secretId: string, versionStage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> {
    return this.fetch(secretId, versionStage).catch((error: unknown) => {
      if (error instanceof MissingSecretError) return undefined;
      throw error;
    });
  }

  // eslint-disable-next-line complexity -- the extension's answers, one branch each: starting, refused, throttled, missing, found
  private async fetch(secretId: string, versionStage?: string): Promise<string> {
    const { port, sessionToken, attempts = 5, hosts = EXTENSION_HOSTS } = this.options;
    if (!sessionToken) throw new Error(`Cannot read secret ${secretId}: AWS_SESSION_TOKEN is not set (the secrets extension needs it)`);
    const stage = versionStage ? `&versionStage=${encodeURIComponent(versionStage)}` : '';
    const path = `/secretsmanager/get?secretId=${encodeURIComponent(secretId)}${stage}`;
    const headers = { 'X-Aws-Parameters-Secrets-Token': sessionToken };
    let host = 0;
    let lastProblem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let response: { status: number; body: string } | undefined;
      // A refused connection moves on to the next address at once; the attempts are for an extension still starting.
      while (!response) {
        try {
          response = await httpGet(`http://${hosts[host]}:${port}${path}`, headers);
        } catch (error) {
          lastProblem = error instanceof Error ? error.message : String(error);
          if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || host === hosts.length - 1) break;
          host++;
        }
      }
      if (response?.status === 200) return secretString(secretId, response.body);
      if (response) {
        lastProblem = `HTTP ${response.status}: ${response.body.slice(0, 200)}`;
        // Missing secret or missing permission: asking again will not help.
        if (response.status === 404 && versionStage === 'AWSPREVIOUS')
          throw new MissingSecretError(`Secret ${secretId} has no version ${versionStage}`);
        if (response.status === 403 || response.status === 404) break;
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
    throw new Error(`Cannot read secret ${secretId} from the secrets extension on port ${port}: ${lastProblem}`);
  }
}

class MissingSecretError extends Error {}

function secretString(secretId: string, body: string): string {
  const { SecretString } = JSON.parse(body) as { SecretString?: unknown };
  if (typeof SecretString !== 'string' || SecretString === '') throw new Error(`Secret ${secretId} has no string value`);
  return SecretString;
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
