/**
 * Lambda's event sources, played as the templates configure them, with each function's role
 * (through its proxy, logged as `event source`): SQS event source mappings (batch size, partial
 * batch responses; failed messages stay in the queue and come back after the visibility timeout,
 * and moto moves them to the DLQ after maxReceiveCount), the DynamoDB stream mapping (its filter
 * patterns, batch size, partial batch responses, on-failure destination), and schedules.
 *
 * Time is the one thing played differently: a queue's visibility timeout (12 minutes here) is
 * not waited out; `passVisibilityTimeout` makes the messages the function failed visible again,
 * as they would be once it has passed, and says so.
 */
import type { SynthesizedStack } from './assembly.js';
import { awsJson } from './aws-raw.js';
import type { Deployment } from './deployment.js';
import type { Invocation, LambdaRuntime } from './lambda-runtime.js';
import { ACCOUNT, REGION } from './moto.js';

type Log = (line: string) => void;

interface Mapping {
  stack: SynthesizedStack;
  logicalId: string;
  fn: string;
  sourceArn: string;
  batchSize: number;
  reportBatchItemFailures: boolean;
  filters: unknown[];
  onFailureArn?: string;
  startingPosition?: string;
}

const queueUrlOf = (moto: string, arn: string) => `${moto}/${arn.split(':')[4]}/${arn.split(':')[5]}`;

/** Every event source mapping of the templates, resolved. */
async function mappings(deployment: Deployment, runtime: LambdaRuntime): Promise<Mapping[]> {
  const out: Mapping[] = [];
  for (const { stack, logicalId, resource } of deployment.resources('AWS::Lambda::EventSourceMapping')) {
    const p = (await deployment.resolve(stack, resource.Properties ?? {})) as Record<string, unknown>;
    const fn = await runtime.byArn(String(p.FunctionName));
    if (!fn) throw new Error(`${logicalId}: no function ${String(p.FunctionName)}`);
    const filters = ((p.FilterCriteria as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ?? []).map(
      (f) => JSON.parse(f.Pattern) as unknown,
    );
    out.push({
      stack,
      logicalId,
      fn: fn.name,
      sourceArn: String(p.EventSourceArn),
      batchSize: Number(p.BatchSize ?? (String(p.EventSourceArn).includes(':sqs:') ? 10 : 100)),
      reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
      filters,
      ...((p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination
        ? { onFailureArn: (p.DestinationConfig as { OnFailure: { Destination: string } }).OnFailure.Destination }
        : {}),
      ...(p.StartingPosition ? { startingPosition: String(p.StartingPosition) } : {}),
    });
  }
  return out;
}

/** EventBridge-style content filtering, as Lambda applies FilterCriteria: the operators the templates use, and a loud error for any other. */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((rule) => {
      if (rule === null || typeof rule !== 'object') return Array.isArray(value) ? value.includes(rule) : value === rule;
      const [op, arg] = Object.entries(rule as Record<string, unknown>)[0]!;
      if (op === 'exists') return (value !== undefined) === arg;
      if (op === 'prefix') return typeof value === 'string' && value.startsWith(String(arg));
      if (op === 'anything-but') return !(Array.isArray(arg) ? arg : [arg]).includes(value);
      throw new Error(`The rehearsal does not play the filter operator ${op}; teach tests/cloud/event-sources.ts`);
    });
  }
  if (pattern && typeof pattern === 'object') {
    if (value === null || typeof value !== 'object')
      return Object.values(pattern).every((p) => Array.isArray(p) && p.some((r) => (r as { exists?: boolean })?.exists === false));
    return Object.entries(pattern as Record<string, unknown>).every(([k, p]) => matchesPattern(p, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
}

export class EventSources {
  private streamIterators = new Map<string, string[]>();
  /** Receipt handles of messages a function failed, by queue URL: they come back after the visibility timeout. */
  private inFlight = new Map<string, string[]>();
  /** Stream records the rehearsal loses (a stream record that never arrived). */
  loseStreamRecords: ((record: Record<string, unknown>) => boolean) | undefined;
  readonly invocations: Array<{ fn: string; source: string; invocation: Invocation }> = [];

  private constructor(
    private readonly deployment: Deployment,
    private readonly runtime: LambdaRuntime,
    readonly mappings: Mapping[],
    private readonly log: Log,
  ) {}

  static async start(deployment: Deployment, runtime: LambdaRuntime, log: Log): Promise<EventSources> {
    const sources = new EventSources(deployment, runtime, await mappings(deployment, runtime), log);
    await sources.startStreams();
    return sources;
  }

  private streamMappings = () => this.mappings.filter((m) => m.sourceArn.includes(':dynamodb:'));
  sqsMappings = () => this.mappings.filter((m) => m.sourceArn.includes(':sqs:'));

  /** Opens each stream's shards at the mapping's starting position, as creating the mapping does. */
  private async startStreams(): Promise<void> {
    for (const m of this.streamMappings()) {
      const endpoint = this.runtime.eventSourceEndpoint(m.fn);
      const { StreamDescription } = await awsJson<{ StreamDescription: { Shards: Array<{ ShardId: string }> } }>(
        endpoint,
        'dynamodb',
        'DynamoDBStreams_20120810.DescribeStream',
        { StreamArn: m.sourceArn },
      );
      const iterators: string[] = [];
      for (const shard of StreamDescription.Shards) {
        const { ShardIterator } = await awsJson<{ ShardIterator: string }>(
          endpoint,
          'dynamodb',
          'DynamoDBStreams_20120810.GetShardIterator',
          {
            StreamArn: m.sourceArn,
            ShardId: shard.ShardId,
            ShardIteratorType: m.startingPosition ?? 'LATEST',
          },
        );
        iterators.push(ShardIterator);
      }
      this.streamIterators.set(m.logicalId, iterators);
    }
  }

  /** Hands every new stream record that passes the filters to its function, in batches, until the shards have nothing new. */
  async drainStreams(): Promise<number> {
    let handed = 0;
    for (const m of this.streamMappings()) {
      const endpoint = this.runtime.eventSourceEndpoint(m.fn);
      const iterators = this.streamIterators.get(m.logicalId) ?? [];
      for (let i = 0; i < iterators.length; i++) {
        const { Records, NextShardIterator } = await awsJson<{ Records: Array<Record<string, unknown>>; NextShardIterator: string }>(
          endpoint,
          'dynamodb',
          'DynamoDBStreams_20120810.GetRecords',
          { ShardIterator: iterators[i] },
        );
        iterators[i] = NextShardIterator;
        const records = Records.map((r): Record<string, unknown> => ({ ...r, eventSourceARN: m.sourceArn }))
          .filter((r) => m.filters.length === 0 || m.filters.some((f) => matchesPattern(f, r)))
          .filter((r) => {
            if (!this.loseStreamRecords?.(r)) return true;
            this.log(`  stream: record ${String(r.eventID)} lost on its way (the rehearsal drops it)`);
            return false;
          });
        for (let at = 0; at < records.length; at += m.batchSize) {
          await this.handStreamBatch(m, records.slice(at, at + m.batchSize));
          handed++;
        }
      }
    }
    return handed;
  }

  private async handStreamBatch(m: Mapping, batch: Array<Record<string, unknown>>): Promise<void> {
    let remaining = batch;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      const invocation = await this.runtime.invoke(m.fn, { Records: remaining });
      this.record(m.fn, 'table stream', invocation);
      const failures = invocation.ok
        ? ((invocation.result as { batchItemFailures?: Array<{ itemIdentifier: string }> } | null)?.batchItemFailures ?? [])
        : [];
      if (invocation.ok && failures.length === 0) return;
      if (invocation.ok && m.reportBatchItemFailures) {
        const first = remaining.findIndex((r) =>
          failures.some((f) => f.itemIdentifier === (r.dynamodb as { SequenceNumber: string }).SequenceNumber),
        );
        remaining = first < 0 ? remaining : remaining.slice(first);
      }
      if (attempt >= 3) {
        if (m.onFailureArn) {
          await awsJson(this.runtime.eventSourceEndpoint(m.fn), 'sqs', 'AmazonSQS.SendMessage', {
            QueueUrl: queueUrlOf(this.deployment.moto, m.onFailureArn),
            MessageBody: JSON.stringify({
              requestContext: { condition: 'RetryAttemptsExhausted' },
              DDBStreamBatchInfo: { streamArn: m.sourceArn, batchSize: remaining.length },
            }),
          });
        }
        this.log(
          `  stream: ${remaining.length} record(s) given up after ${attempt} attempts${m.onFailureArn ? ', sent to the on-failure destination' : ''}`,
        );
        return;
      }
    }
  }

  /**
   * One poll of each SQS mapping (or only the one feeding `only`) after another until their queues have nothing visible: a batch
   * to the function, then the messages it did not fail deleted (all of them kept when it threw or
   * died).
   */
  async drainQueues(options: { maxPolls?: number; only?: string } = {}): Promise<number> {
    let polls = 0;
    for (let busy = true; busy && polls < (options.maxPolls ?? 50);) {
      busy = false;
      for (const m of this.sqsMappings().filter((mapping) => options.only === undefined || mapping.fn === options.only)) {
        const endpoint = this.runtime.eventSourceEndpoint(m.fn);
        const QueueUrl = queueUrlOf(this.deployment.moto, m.sourceArn);
        const { Messages = [] } = await awsJson<{ Messages?: Array<Record<string, unknown>> }>(
          endpoint,
          'sqs',
          'AmazonSQS.ReceiveMessage',
          {
            QueueUrl,
            MaxNumberOfMessages: Math.min(10, m.batchSize),
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          },
        );
        if (Messages.length === 0) continue;
        busy = true;
        polls++;
        const event = {
          Records: Messages.map((message) => ({
            messageId: message.MessageId,
            receiptHandle: message.ReceiptHandle,
            body: message.Body,
            attributes: message.Attributes ?? {},
            messageAttributes: message.MessageAttributes ?? {},
            md5OfBody: message.MD5OfBody,
            eventSource: 'aws:sqs',
            eventSourceARN: m.sourceArn,
            awsRegion: REGION,
          })),
        };
        const invocation = await this.runtime.invoke(m.fn, event);
        this.record(m.fn, m.sourceArn.split(':').pop()!, invocation);
        const failed = new Set(
          invocation.ok
            ? m.reportBatchItemFailures
              ? ((invocation.result as { batchItemFailures?: Array<{ itemIdentifier: string }> } | null)?.batchItemFailures ?? []).map(
                  (f) => f.itemIdentifier,
                )
              : []
            : Messages.map((message) => String(message.MessageId)),
        );
        const done = Messages.filter((message) => !failed.has(String(message.MessageId)));
        if (done.length > 0) {
          await awsJson(endpoint, 'sqs', 'AmazonSQS.DeleteMessageBatch', {
            QueueUrl,
            Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
          });
        }
        const kept = Messages.filter((message) => failed.has(String(message.MessageId))).map((message) => String(message.ReceiptHandle));
        if (kept.length > 0) this.inFlight.set(QueueUrl, [...(this.inFlight.get(QueueUrl) ?? []), ...kept]);
      }
    }
    return polls;
  }

  /** The messages a function failed become visible again, as once the queue's visibility timeout has passed. */
  async passVisibilityTimeout(): Promise<number> {
    let count = 0;
    let longest = 0;
    for (const [QueueUrl, handles] of this.inFlight) {
      const { Attributes } = await awsJson<{ Attributes: { VisibilityTimeout: string } }>(
        this.deployment.moto,
        'sqs',
        'AmazonSQS.GetQueueAttributes',
        {
          QueueUrl,
          AttributeNames: ['VisibilityTimeout'],
        },
      );
      for (const ReceiptHandle of handles) {
        try {
          await awsJson(this.deployment.moto, 'sqs', 'AmazonSQS.ChangeMessageVisibility', {
            QueueUrl,
            ReceiptHandle,
            VisibilityTimeout: 0,
          });
          count++;
        } catch {
          // deleted meanwhile
        }
      }
      longest = Math.max(longest, Number(Attributes.VisibilityTimeout));
      this.log(
        `  (${Attributes.VisibilityTimeout} s later: the visibility timeout of ${QueueUrl.split('/').pop()} passes for ${handles.length} message(s))`,
      );
    }
    // The functions' clock moves on with it.
    this.runtime.clockOffsetMs += longest * 1000;
    this.inFlight.clear();
    return count;
  }

  /** Fires every schedule of the templates that targets this function, with the target's input as the scheduler sends it. */
  async fireSchedule(fnName: string, at: Date): Promise<Invocation> {
    for (const { stack, resource } of this.deployment.resources('AWS::Scheduler::Schedule')) {
      const target = (await this.deployment.resolve(stack, (resource.Properties as { Target: unknown }).Target)) as {
        Arn: string;
        Input?: string;
      };
      const fn = await this.runtime.byArn(target.Arn);
      if (fn?.name !== fnName) continue;
      const input = (target.Input ?? '{}')
        .replaceAll('<aws.scheduler.scheduled-time>', at.toISOString().replace(/\.\d{3}Z$/, 'Z'))
        .replaceAll('<aws.scheduler.execution-id>', `rehearsal-${at.getTime()}`)
        .replaceAll('<aws.scheduler.schedule-arn>', `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/rehearsal`)
        .replaceAll('<aws.scheduler.attempt-number>', '1');
      const invocation = await this.runtime.invoke(fn.name, JSON.parse(input));
      this.record(fn.name, 'schedule', invocation);
      return invocation;
    }
    throw new Error(`No schedule of the templates targets ${fnName}`);
  }

  private record(fn: string, source: string, invocation: Invocation): void {
    this.invocations.push({ fn, source, invocation });
    const outcome = invocation.killed
      ? 'killed'
      : invocation.ok
        ? `ok ${JSON.stringify(invocation.result)?.slice(0, 120)}`
        : `failed ${invocation.errorType}: ${invocation.errorMessage?.slice(0, 200)}`;
    this.log(`  ${fn} ← ${source}: ${outcome} (${Math.round(invocation.ms)} ms)`);
    const failed = !invocation.ok || JSON.stringify(invocation.result ?? {}).includes('"itemIdentifier"');
    if (failed && !invocation.killed)
      for (const line of invocation.output.split('\n').filter(Boolean).slice(0, 4)) this.log(`      | ${line.slice(0, 300)}`);
  }
}
