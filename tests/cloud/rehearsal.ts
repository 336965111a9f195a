/**
 * The rehearsal: the stacks synthesized once, moto started once, the stateful resources created
 * from the templates (again after each reset), the functions and their event sources played, and
 * what a reader would see read back from moto (objects, invalidations, mail).
 */
import { rm } from 'node:fs/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { synthesize, type Assembly } from './assembly.js';
import { awsJson, awsRest } from './aws-raw.js';
import { Deployment } from './deployment.js';
import { EventSources } from './event-sources.js';
import { LambdaRuntime, type Invocation } from './lambda-runtime.js';
import { startMoto, type RunningMoto } from './moto.js';
import type { Operation } from './recording-proxy.js';
import { httpApiEvent } from '../support/aws-stand-ins.js';

export interface ApiAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface SentMail {
  id: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

interface Route {
  method: string;
  path: string;
  fn: string;
}

export class Rehearsal {
  lines: string[] = [];
  private constructor(
    readonly assembly: Assembly,
    readonly moto: RunningMoto,
    readonly deployment: Deployment,
    readonly runtime: LambdaRuntime,
    public sources: EventSources,
  ) {}

  static async start(): Promise<Rehearsal> {
    const assembly = await synthesize();
    const moto = await startMoto();
    try {
      const deployment = new Deployment(assembly, moto.endpoint);
      await deployment.provision();
      const runtime = await LambdaRuntime.start(deployment);
      await runtime.configure();
      const lines: string[] = [];
      const sources = await EventSources.start(deployment, runtime, (line) => lines.push(line));
      const rehearsal = new Rehearsal(assembly, moto, deployment, runtime, sources);
      rehearsal.lines = lines;
      return rehearsal;
    } catch (error) {
      await moto.close();
      await rm(assembly.outdir, { recursive: true, force: true });
      throw error;
    }
  }

  log(line: string): void {
    this.lines.push(line);
  }

  /** A clean account: moto reset, the stateful resources created again, functions and event sources configured anew. */
  async fresh(title: string): Promise<void> {
    await this.moto.reset();
    await this.deployment.provision();
    await this.runtime.configure();
    this.runtime.clockOffsetMs = 0;
    this.sources = await EventSources.start(this.deployment, this.runtime, (line) => this.lines.push(line));
    this.log(`\n▶ ${title}`);
  }

  /** Prints what was logged since the last flush (vitest shows console output per test). */
  flush(): void {
    if (this.lines.length > 0) console.log(this.lines.join('\n'));
    this.lines.length = 0;
  }

  async close(): Promise<void> {
    await this.runtime.close();
    await this.moto.close();
    await rm(this.assembly.outdir, { recursive: true, force: true });
  }

  /** The HTTP API's routes, from the templates: route key → the function its integration invokes. */
  private async routes(): Promise<Route[]> {
    const routes: Route[] = [];
    for (const { stack, resource } of this.deployment.resources('AWS::ApiGatewayV2::Route')) {
      const p = resource.Properties as { RouteKey: string; Target: unknown };
      // The target is `integrations/<Ref of an integration>`: the one integration resource it names.
      const integrationId = [...JSON.stringify(p.Target).matchAll(/"Ref":"([^"]+)"/g)]
        .map((m) => m[1]!)
        .find((id) => stack.template.Resources[id]?.Type === 'AWS::ApiGatewayV2::Integration');
      const integration = integrationId ? stack.template.Resources[integrationId] : undefined;
      const uri = integration ? await this.deployment.resolveString(stack, integration.Properties?.IntegrationUri) : '';
      const fn = await this.runtime.byArn(uri);
      if (!fn) throw new Error(`Route ${p.RouteKey}: no function behind ${uri}`);
      const [method, path] = p.RouteKey.split(' ') as [string, string];
      routes.push({ method, path, fn: fn.name });
    }
    return routes;
  }

  /** Which function API Gateway hands a request to: an exact route, else the longest greedy {proxy+} prefix. */
  async functionFor(method: string, path: string): Promise<string> {
    const candidates = (await this.routes()).filter((r) => r.method === 'ANY' || r.method === method);
    const exact = candidates.find((r) => r.path === path);
    if (exact) return exact.fn;
    const greedy = candidates
      .filter((r) => r.path.endsWith('/{proxy+}') && path.startsWith(r.path.slice(0, -'{proxy+}'.length)))
      .sort((a, b) => b.path.length - a.path.length);
    if (!greedy[0]) throw new Error(`No route of the HTTP API takes ${method} ${path}`);
    return greedy[0].fn;
  }

  /** The headers CloudFront adds on its way to the API origin (the /api/* behavior's origin, its custom headers). */
  private async originHeaders(): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    for (const { stack, resource } of this.deployment.resources('AWS::CloudFront::Distribution')) {
      const config = (resource.Properties as { DistributionConfig: Record<string, unknown> }).DistributionConfig;
      const behavior = ((config.CacheBehaviors as Array<{ PathPattern: string; TargetOriginId: string }>) ?? []).find(
        (b) => b.PathPattern === '/api/*',
      );
      const origin = ((config.Origins as Array<{ Id: string; OriginCustomHeaders?: unknown[] }>) ?? []).find(
        (o) => o.Id === behavior?.TargetOriginId,
      );
      for (const header of (await this.deployment.resolve(stack, origin?.OriginCustomHeaders ?? [])) as Array<{
        HeaderName: string;
        HeaderValue: string;
      }>)
        headers[header.HeaderName.toLowerCase()] = header.HeaderValue;
    }
    return headers;
  }

  /** A request as CloudFront's /api/* behavior delivers it to the HTTP API, and API Gateway to the function (payload 2.0). */
  async api(
    method: string,
    pathAndQuery: string,
    options: { headers?: Record<string, string>; body?: string; viewer?: string } = {},
  ): Promise<ApiAnswer> {
    const [path] = pathAndQuery.split('?') as [string];
    const fn = await this.functionFor(method, path);
    const headers = { 'x-pressrun-viewer-address': options.viewer ?? '203.0.113.7', ...(await this.originHeaders()), ...options.headers };
    const event = httpApiEvent(method, pathAndQuery, {
      headers,
      apiId: 'rehearsal',
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    const invocation = await this.runtime.invoke(fn, event);
    this.log(
      `  ${fn} ← ${method} ${path}: ${invocation.ok ? (invocation.result as ApiAnswer).statusCode : `failed ${invocation.errorMessage}`} (${Math.round(invocation.ms)} ms)`,
    );
    if (!invocation.ok)
      throw new Error(`${fn} failed on ${method} ${path}: ${invocation.errorType}: ${invocation.errorMessage}\n${invocation.output}`);
    return invocation.result as ApiAnswer;
  }

  /** The value of a secret of the templates, by the env variable that names it in a function. */
  async secretNamedBy(fn: string, variable: string): Promise<string> {
    const id = this.runtime.envOf(fn)[variable];
    if (!id) throw new Error(`${fn} has no ${variable}`);
    return (
      await awsJson<{ SecretString: string }>(this.moto.endpoint, 'secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: id })
    ).SecretString;
  }

  async object(bucket: string, key: string): Promise<string | undefined> {
    const { status, text } = await awsRest(
      this.moto.endpoint,
      's3',
      'GET',
      `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
    );
    return status === 200 ? text : undefined;
  }

  /** What moto's CloudFront recorded: the paths of each invalidation of a distribution. */
  async invalidations(distributionId: string): Promise<string[][]> {
    const list = await awsRest(this.moto.endpoint, 'cloudfront', 'GET', `/2020-05-31/distribution/${distributionId}/invalidation`);
    const ids = [...list.text.matchAll(/<Id>([^<]+)<\/Id>/g)].map((m) => m[1]!);
    const out: string[][] = [];
    for (const id of ids) {
      const one = await awsRest(this.moto.endpoint, 'cloudfront', 'GET', `/2020-05-31/distribution/${distributionId}/invalidation/${id}`);
      out.push([...one.text.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => m[1]!));
    }
    return out;
  }

  /** Every raw message SES v2 took, as moto recorded it. */
  async sentMail(): Promise<SentMail[]> {
    const data = (await (await fetch(`${this.moto.endpoint}/moto-api/data.json`)).json()) as Record<
      string,
      Record<string, Array<Record<string, unknown>>>
    >;
    // moto tracks a message once per backend that saw it: one per id.
    const raws = [...new Map((data.ses?.RawMessage ?? []).map((m) => [String(m.id), m])).values()];
    return Promise.all(
      raws.map(async (m) => ({
        id: String(m.id),
        to: (m.destinations as string[] | undefined) ?? [],
        raw: String(m.raw_data),
        parsed: await simpleParser(String(m.raw_data)),
      })),
    );
  }

  async queueDepth(queueUrl: string): Promise<{ visible: number; inFlight: number }> {
    const { Attributes } = await awsJson<{ Attributes: Record<string, string> }>(
      this.moto.endpoint,
      'sqs',
      'AmazonSQS.GetQueueAttributes',
      {
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      },
    );
    return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
  }

  /** Everything the event sources have to hand, handed: the stream, then the queues, until both are quiet. */
  async settle(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const handed = (await this.sources.drainStreams()) + (await this.sources.drainQueues());
      if (handed === 0) return;
    }
  }

  fireSchedule(fn: string, at: Date): Promise<Invocation> {
    return this.sources.fireSchedule(fn, at);
  }

  /** The operations per function, each checked against the function's role. */
  operationsTable(): { table: string; denied: Operation[] } {
    const byFn = new Map<string, Map<string, { op: Operation; count: number; ok: boolean }>>();
    const denied: Operation[] = [];
    for (const op of this.runtime.operations) {
      const ok = op.allowed ?? false;
      if (!ok) denied.push(op);
      const resources = op.resources.map(shortArn);
      const key = `${op.action} ${[...new Set(resources)].join(', ')}${op.caller === 'event source' ? '  [event source]' : ''}`;
      const fn = byFn.get(op.fn) ?? new Map();
      byFn.set(op.fn, fn);
      const seen = fn.get(key) ?? { op, count: 0, ok: true };
      seen.count++;
      seen.ok &&= ok;
      fn.set(key, seen);
    }
    const lines: string[] = ['AWS operations per function (✓ allowed by its role in the stateless template, ✗ not):'];
    for (const [fn, ops] of [...byFn].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${fn}`);
      for (const [key, { count, ok }] of [...ops].sort(([a], [b]) => a.localeCompare(b)))
        lines.push(`    ${ok ? '✓' : '✗'} ${key}  ×${count}`);
    }
    return { table: lines.join('\n'), denied };
  }
}

/** ARNs shortened for the table: the resource part, with S3 object keys collapsed. */
function shortArn(arn: string): string {
  if (arn.startsWith('arn:aws:s3:::')) return arn.replace(/^arn:aws:s3:::([^/]+)\/.+$/, 's3:::$1/*');
  const parts = arn.split(':');
  return parts.length >= 6
    ? parts
        .slice(5)
        .join(':')
        .replace(/^table\/([^/]+)\/stream\/.*$/, 'table/$1/stream/*')
    : arn;
}
