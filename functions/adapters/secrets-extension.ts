/**
 * How the functions read secrets. Both readers keep the same contract: get() fetches a secret
 * once per execution environment (a failure is not kept), read() fetches a version now.
 *
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
import { get, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

/** A version a secret may be read at. */
export type VersionStage = 'AWSCURRENT' | 'AWSPREVIOUS';

export interface SecretsReader {
  /** The secret's string value; fetched once, retried on the next call if fetching failed. */
  get(secretId: string): Promise<string>;
  /** A version of the secret read now, past get()'s cache; AWSPREVIOUS is undefined before the secret's first rotation. */
  read(secretId: string, versionStage: VersionStage): Promise<string | undefined>;
}

/** The caching both readers share; each says how to fetch. */
abstract class CachedSecrets implements SecretsReader {
  private readonly cache = new Map<string, Promise<string>>();

  get(secretId: string): Promise<string> {
    let value = this.cache.get(secretId);
    if (!value) {
      value = this.fetch(secretId);
      value.catch(() => this.cache.delete(secretId));
      this.cache.set(secretId, value);
    }
    return value;
  }

  async read(secretId: string, versionStage: VersionStage): Promise<string | undefined> {
    return this.fetch(secretId, versionStage).catch((error: unknown) => {
      if (error instanceof MissingSecretError) return undefined;
      throw error;
    });
  }

  /** Throws MissingSecretError when the secret has no AWSPREVIOUS version. */
  protected abstract fetch(secretId: string, versionStage?: VersionStage): Promise<string>;
}

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

export class SecretsExtension extends CachedSecrets {
  constructor(private readonly options: SecretsExtensionOptions) {
    super();
  }

  // eslint-disable-next-line complexity -- the extension's answers, one branch each: starting, refused, throttled, missing, found
  protected async fetch(secretId: string, versionStage?: VersionStage): Promise<string> {
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

type Answer = { status: number; body: string };

/** One request and its whole answer; `send` starts it (with a timeout) and hands over the response. */
function exchange(send: (onResponse: (response: IncomingMessage) => void) => ClientRequest, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = send((response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    // get() ends its request itself.
    if (body !== undefined) request.end(body);
  });
}

const httpGet = (url: string, headers: Record<string, string>) =>
  exchange((onResponse) => get(url, { headers, timeout: 5_000 }, onResponse));

export interface SecretsManagerApiOptions {
  /** The function's region (AWS_REGION). */
  region: string;
  /** The function's credentials, from its environment. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  /** @default https://secretsmanager.REGION.amazonaws.com */
  endpoint?: string;
  /** Attempts when Secrets Manager throttles or fails. @default 3 */
  attempts?: number;
}

/**
 * Secrets from Secrets Manager's JSON API (GetSecretValue), for regions where Lambda does not
 * publish the extension (the stack sets PRESSRUN_SECRETS_SOURCE there, cdk/secrets-access.ts).
 * One SigV4-signed POST: the signer and SHA-256 are those the DynamoDB client already bundles,
 * so this adds no SDK client to any bundle.
 */
export class SecretsManagerApi extends CachedSecrets {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;

  constructor(private readonly options: SecretsManagerApiOptions) {
    super();
    this.signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: 'secretsmanager', sha256: Sha256 });
    this.endpoint = new URL(options.endpoint ?? `https://secretsmanager.${options.region}.amazonaws.com`);
  }

  protected async fetch(secretId: string, versionStage?: VersionStage): Promise<string> {
    const body = JSON.stringify({ SecretId: secretId, ...(versionStage ? { VersionStage: versionStage } : {}) });
    const attempts = this.options.attempts ?? 3;
    let lastProblem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const response = await this.post(body).catch((error: unknown) => ({ status: 0, body: String(error) }));
      if (response.status === 200) return secretString(secretId, response.body);
      const type = errorType(response.body);
      lastProblem = response.status ? `HTTP ${response.status} ${type}: ${response.body.slice(0, 200)}` : response.body;
      if (type === 'ResourceNotFoundException' && versionStage === 'AWSPREVIOUS')
        throw new MissingSecretError(`Secret ${secretId} has no version ${versionStage}`);
      // Only throttling, server errors and lost connections are worth another try.
      if (response.status !== 0 && response.status < 500 && type !== 'ThrottlingException') break;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
    throw new Error(`Cannot read secret ${secretId} from Secrets Manager at ${this.endpoint.host}: ${lastProblem}`);
  }

  private async post(body: string): Promise<Answer> {
    const { protocol, hostname, port, host } = this.endpoint;
    const signed = await this.signer.sign({
      method: 'POST',
      protocol,
      hostname,
      ...(port ? { port: Number(port) } : {}),
      path: '/',
      query: {},
      headers: { host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body,
    });
    const send = protocol === 'https:' ? httpsRequest : httpRequest;
    const options = { method: 'POST', protocol, hostname, port, path: '/', headers: signed.headers, timeout: 5_000 };
    return exchange((onResponse) => send(options, onResponse), body);
  }
}

/** The error's name in a JSON protocol answer ("com.amazonaws…#ResourceNotFoundException" or plain). */
function errorType(body: string): string {
  try {
    const type = (JSON.parse(body) as { __type?: unknown }).__type;
    return typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1) : '';
  } catch {
    return '';
  }
}
