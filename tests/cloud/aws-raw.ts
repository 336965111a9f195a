/**
 * The harness's own AWS calls (creating resources, playing event sources, reading what the
 * functions left), as plain HTTP against moto or a function's recording proxy: moto checks no
 * signatures, only the credential scope that names the service, which the header below carries.
 */
import { REGION } from './moto.js';

export const fakeAuthorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=REHEARSAL/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;

export class AwsCallError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type || 'AwsCallError';
  }
}

const JSON_VERSION: Record<string, string> = { dynamodb: '1.0', sqs: '1.0', secretsmanager: '1.1', ssm: '1.1' };

/** A JSON-protocol call: `target` such as `DynamoDB_20120810.CreateTable`. */
export async function awsJson<T = Record<string, unknown>>(endpoint: string, service: string, target: string, input: unknown): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': `application/x-amz-json-${JSON_VERSION[service] ?? '1.1'}`,
      'x-amz-target': target,
      authorization: fakeAuthorization(service),
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (!response.ok) {
    let type = '';
    let message = text;
    try {
      const parsed = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
      type = (parsed.__type ?? '').split('#').pop() ?? '';
      message = parsed.message ?? parsed.Message ?? text;
    } catch {
      // not JSON
    }
    throw new AwsCallError(response.status, type, `${target}: HTTP ${response.status} ${type}: ${message}`);
  }
  return (text ? JSON.parse(text) : {}) as T;
}

/** A REST call (S3, SES v2, CloudFront, the query protocol). */
export async function awsRest(
  endpoint: string,
  service: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; body: Buffer; headers: Headers }> {
  const response = await fetch(endpoint + path, {
    method,
    headers: { authorization: fakeAuthorization(service), ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, text: body.toString('utf8'), body, headers: response.headers };
}

/** A query-protocol call (SNS): form-encoded Action and parameters. */
export async function awsQuery(endpoint: string, service: string, params: Record<string, string>): Promise<string> {
  const { status, text } = await awsRest(endpoint, service, 'POST', '/', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  if (status >= 300) throw new AwsCallError(status, '', `${params.Action}: HTTP ${status}: ${text.slice(0, 400)}`);
  return text;
}
