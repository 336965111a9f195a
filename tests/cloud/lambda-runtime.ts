/**
 * Lambda, played: each function of the templates runs its cdk.out bundle, the handler named as
 * Lambda resolves it (`index.handler` → index.js|.mjs|.cjs, export `handler`), in a fresh node
 * process per invocation, with the template's environment resolved against moto, the runtime's
 * own variables, its AWS endpoint pointed at its recording proxy, and (when the template gives
 * it the Parameters and Secrets layer) a stand-in for that extension's HTTP interface which
 * reads moto's Secrets Manager with the function's role, through the same proxy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constructName, type CfnResource, type SynthesizedStack } from './assembly.js';
import { AwsCallError, awsJson } from './aws-raw.js';
import type { Deployment } from './deployment.js';
import { allowed, rolePolicy, type RolePolicy } from './iam.js';
import { REGION } from './moto.js';
import { startRecordingProxy, type AfterAnswer, type Operation, type RecordingProxy } from './recording-proxy.js';

const RUN_BUNDLE = fileURLToPath(new URL('./run-bundle.mjs', import.meta.url));

export interface LambdaFunction {
  /** The construct's name in the stack (Publish, SendWorker …). */
  name: string;
  stack: SynthesizedStack;
  logicalId: string;
  resource: CfnResource;
  file: string;
  exportName: string;
  roleLogicalId: string;
  timeoutSeconds: number;
  /** The Parameters and Secrets extension is one of its layers. */
  secretsExtension: boolean;
}

export interface Invocation {
  ok: boolean;
  result?: unknown;
  errorType?: string;
  errorMessage?: string;
  /** Killed before it answered (by a test's hook, or its timeout). */
  killed: boolean;
  output: string;
  ms: number;
}

/** Every Lambda function of the templates, with the file and export Lambda would load. */
export function discoverFunctions(deployment: Deployment): LambdaFunction[] {
  return deployment.resources('AWS::Lambda::Function').map(({ stack, logicalId, resource }) => {
    const props = resource.Properties ?? {};
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') throw new Error(`${stack.name}/${logicalId} has no asset (inline code is not rehearsed)`);
    const assetDir = join(deployment.assembly.outdir, assetPath);
    const handler = String(props.Handler);
    const dot = handler.lastIndexOf('.');
    const module = handler.slice(0, dot);
    const file = ['.js', '.mjs', '.cjs'].map((ext) => join(assetDir, module + ext)).find((f) => existsSync(f));
    if (!file) throw new Error(`${stack.name}/${logicalId}: Lambda finds no ${module}.js, .mjs or .cjs in ${assetDir}`);
    const role = (props.Role as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    if (!role) throw new Error(`${stack.name}/${logicalId}: its role is not one of the stack's (${JSON.stringify(props.Role)})`);
    const layers = JSON.stringify(props.Layers ?? []);
    return {
      name: constructName(logicalId, resource),
      stack,
      logicalId,
      resource,
      file,
      exportName: handler.slice(dot + 1),
      roleLogicalId: role,
      timeoutSeconds: Number(props.Timeout ?? 3),
      secretsExtension: /paramsandsecrets|parameters-and-secrets|ParametersAndSecrets/i.test(layers),
    };
  });
}

interface Running {
  fn: LambdaFunction;
  proxy: RecordingProxy;
  extension?: { port: number; server: Server };
  sessionToken: string;
  env: Record<string, string>;
  policy: RolePolicy;
  child?: ChildProcess;
  afterAnswer?: AfterAnswer;
}

export class LambdaRuntime {
  readonly operations: Operation[] = [];
  /** How far the functions' clock runs ahead of the machine's: time the rehearsal let pass without waiting. */
  clockOffsetMs = 0;
  private readonly running = new Map<string, Running>();

  private constructor(
    readonly deployment: Deployment,
    readonly functions: LambdaFunction[],
  ) {}

  static async start(deployment: Deployment): Promise<LambdaRuntime> {
    const runtime = new LambdaRuntime(deployment, discoverFunctions(deployment));
    for (const fn of runtime.functions) {
      const running: Running = {
        fn,
        sessionToken: `session-${randomUUID()}`,
        env: {},
        policy: { statements: [], managedPolicyArns: [] },
      } as unknown as Running;
      running.proxy = await startRecordingProxy(
        fn.name,
        deployment.moto,
        (op) => runtime.operations.push({ ...op, allowed: allowed(running.policy, op) }),
        () => running.afterAnswer,
      );
      if (fn.secretsExtension) running.extension = await startSecretsExtension(running);
      runtime.running.set(fn.name, running);
    }
    return runtime;
  }

  /** Resolves each function's environment and role against what is in moto now (after a provision). */
  async configure(): Promise<void> {
    for (const running of this.running.values()) {
      const { fn } = running;
      const variables = (await this.deployment.resolve(
        fn.stack,
        (fn.resource.Properties?.Environment as { Variables?: unknown })?.Variables ?? {},
      )) as Record<string, unknown>;
      const env: Record<string, string> = {};
      // Queue URLs carry the endpoint's origin, and the SQS client sends to it rather than to AWS_ENDPOINT_URL:
      // a URL of moto's becomes the same URL at this function's proxy.
      const motoOrigin = new URL(this.deployment.moto).origin;
      for (const [k, v] of Object.entries(variables)) env[k] = String(v).replaceAll(motoOrigin, running.proxy.endpoint);
      running.policy = await rolePolicy(this.deployment, fn.stack, fn.roleLogicalId);
      running.env = {
        ...env,
        // What the Lambda runtime sets in every function's environment.
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: 'ASIAREHEARSAL',
        AWS_SECRET_ACCESS_KEY: 'rehearsal-secret',
        AWS_SESSION_TOKEN: running.sessionToken,
        AWS_LAMBDA_FUNCTION_NAME: (await this.deployment.ensure(fn.stack, fn.logicalId)).ref,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.resource.Properties?.MemorySize ?? 128),
        AWS_EXECUTION_ENV: `AWS_Lambda_${String(fn.resource.Properties?.Runtime ?? 'nodejs')}`,
        LAMBDA_TASK_ROOT: fn.file.replace(/\/[^/]+$/, ''),
        _HANDLER: String(fn.resource.Properties?.Handler),
        TZ: ':UTC',
        // The rehearsal's only change: every AWS endpoint is this function's recording proxy.
        AWS_ENDPOINT_URL: running.proxy.endpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
      // The extension listens where its variable says; the stand-in listens where it could.
      if (running.extension) running.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String(running.extension.port);
    }
  }

  get(name: string): LambdaFunction {
    const running = this.running.get(name);
    if (!running) throw new Error(`No function ${name}; the templates have ${[...this.running.keys()].join(', ')}`);
    return running.fn;
  }

  /** The function whose resolved Arn (or name) this is. */
  async byArn(arn: string): Promise<LambdaFunction | undefined> {
    for (const { fn } of this.running.values()) {
      const physical = await this.deployment.ensure(fn.stack, fn.logicalId);
      if (physical.attrs.Arn === arn || physical.ref === arn || arn.startsWith(`${physical.attrs.Arn}:`)) return fn;
    }
    return undefined;
  }

  policyOf(name: string): RolePolicy {
    return this.running.get(name)!.policy;
  }

  envOf(name: string): Record<string, string> {
    return this.running.get(name)!.env;
  }

  eventSourceEndpoint(name: string): string {
    return this.running.get(name)!.proxy.eventSourceEndpoint;
  }

  /**
   * Holds moto's answers to the operations `hold` picks (the function never hears them), and
   * kills the function's process once `kill` says so: a crash after AWS acted and before the
   * function could record it.
   */
  crashAfter(name: string, hold: (op: Operation) => boolean, kill: () => boolean): void {
    const running = this.running.get(name)!;
    running.afterAnswer = (op) => {
      if (op.caller !== 'function' || !hold(op)) return 'deliver';
      if (kill()) {
        running.afterAnswer = undefined;
        running.child?.kill('SIGKILL');
      }
      return 'hold';
    };
  }

  /** One invocation in a fresh process, as a cold start; killed at the template's timeout. */
  invoke(name: string, event: unknown, exportName?: string): Promise<Invocation> {
    const running = this.running.get(name)!;
    const { fn } = running;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, [RUN_BUNDLE, fn.file, exportName ?? fn.exportName], {
        env: {
          PATH: process.env.PATH ?? '',
          ...running.env,
          ...(this.clockOffsetMs ? { REHEARSAL_CLOCK_OFFSET_MS: String(this.clockOffsetMs) } : {}),
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      running.child = child;
      const timer = setTimeout(() => child.kill('SIGKILL'), fn.timeoutSeconds * 1000);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (_code, signal) => {
        clearTimeout(timer);
        running.child = undefined;
        const lines = stdout.trimEnd().split('\n');
        const last = lines.at(-1) ?? '';
        const ms = performance.now() - started;
        if (signal) {
          resolve({ ok: false, killed: true, errorType: 'Killed', errorMessage: `killed (${signal})`, output: `${stdout}\n${stderr}`, ms });
          return;
        }
        try {
          const outcome = JSON.parse(last) as Omit<Invocation, 'output' | 'ms' | 'killed'>;
          resolve({ ...outcome, killed: false, output: [...lines.slice(0, -1), stderr].join('\n'), ms });
        } catch {
          resolve({
            ok: false,
            killed: false,
            errorType: 'Runtime.ExitError',
            errorMessage: 'no outcome',
            output: `${stdout}\n${stderr}`,
            ms,
          });
        }
      });
      child.stdin.end(JSON.stringify(event));
    });
  }

  async close(): Promise<void> {
    for (const running of this.running.values()) {
      running.child?.kill('SIGKILL');
      await running.proxy.close();
      if (running.extension) {
        running.extension.server.closeAllConnections();
        await new Promise<void>((resolve) => running.extension!.server.close(() => resolve()));
      }
    }
  }
}

/**
 * The extension's HTTP interface (GET /secretsmanager/get?secretId=…&versionStage=…, the session
 * token in X-Aws-Parameters-Secrets-Token), answering from moto's Secrets Manager through the
 * function's proxy: the extension reads with the function's role.
 */
async function startSecretsExtension(running: Running): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      res.setHeader('content-type', 'application/json');
      if (req.headers['x-aws-parameters-secrets-token'] !== running.sessionToken) {
        res.statusCode = 401;
        res.end('{"message":"missing or wrong X-Aws-Parameters-Secrets-Token"}');
        return;
      }
      if (url.pathname !== '/secretsmanager/get') {
        res.statusCode = 404;
        res.end('{"message":"the rehearsal plays only /secretsmanager/get"}');
        return;
      }
      const stage = url.searchParams.get('versionStage');
      const versionId = url.searchParams.get('versionId');
      try {
        const secret = await awsJson(running.proxy.endpoint, 'secretsmanager', 'secretsmanager.GetSecretValue', {
          SecretId: url.searchParams.get('secretId'),
          ...(stage ? { VersionStage: stage } : {}),
          ...(versionId ? { VersionId: versionId } : {}),
        });
        res.end(JSON.stringify(secret));
      } catch (error) {
        const type = error instanceof AwsCallError ? error.type : '';
        res.statusCode = type === 'ResourceNotFoundException' ? 404 : type === 'AccessDeniedException' ? 403 : 500;
        res.end(JSON.stringify({ message: (error as Error).message }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}
