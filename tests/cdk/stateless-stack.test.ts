import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, synthesize, type Synthesized } from './harness.js';

let dev: Synthesized;
beforeAll(() => {
  dev = synthesize('dev');
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const idOf = (s: Synthesized, construct: { node: { defaultChild?: unknown } }) =>
  s.stacks.stateless.getLogicalId(construct.node.defaultChild as never);

/** The statements of the inline policy of a function's role. */
function statementsOf(
  s: Synthesized,
  fn: keyof Pick<
    Synthesized['stacks']['stateless'],
    'api' | 'articles' | 'publish' | 'publishChunks' | 'preview' | 'sendWorker' | 'sesEvents'
  >,
): Statement[] {
  const role = idOf(s, s.stacks.stateless[fn].role);
  const policies = resourcesOf(s.stateless, 'AWS::IAM::Policy').filter(
    ([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]),
  );
  return policies.flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** A weak reference to an output of the stateful stack whose name matches (cross-stack.test.ts). */
const fromStateful = (output: string) => ({
  'Fn::GetStackOutput': { StackName: 'Pressrun-dev-stateful', Region: { Ref: 'AWS::Region' }, OutputName: Match.stringLikeRegexp(output) },
});

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
const FUNCTIONS = ['api', 'articles', 'publish', 'publishChunks', 'preview', 'sendWorker', 'sesEvents'] as const;

describe('the functions', () => {
  it('run Node 22 on arm64 with their own log group and JSON logs', () => {
    const functions = resourcesOf(dev.stateless, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(FUNCTIONS.length);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
      });
    }
  });

  it('keep every log group for a set time', () => {
    const groups = resourcesOf(dev.stateless, 'AWS::Logs::LogGroup');
    expect(groups.length).toBe(FUNCTIONS.length + 1);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('publish one run at a time', () => {
    expect(dev.stateless.toJSON().Resources[idOf(dev, dev.stacks.stateless.publish.fn)].Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('render the preview from the publish bundle', () => {
    const resources = dev.stateless.toJSON().Resources as Resources;
    expect(resources[idOf(dev, dev.stacks.stateless.preview.fn)]!.Properties.Handler).toBe('index.preview');
    expect(resources[idOf(dev, dev.stacks.stateless.publish.fn)]!.Properties.Handler).toBe('index.handler');
  });
});

describe('permissions', () => {
  it('use no managed policies and no wildcard actions or resources, but for the actions that take no resource', () => {
    for (const [, role] of resourcesOf(dev.stateless, 'AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const unscoped: string[] = [];
    for (const [, policy] of resourcesOf(dev.stateless, 'AWS::IAM::Policy')) {
      for (const statement of (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
        if (statement.Resource === '*') unscoped.push(...[statement.Action].flat());
      }
    }
    // Lambda's stream poller lists the table's streams; the send worker reads its SES send quota: neither takes a resource.
    expect(unscoped.sort()).toEqual(['dynamodb:ListStreams', 'ses:GetAccount']);
    expect(statementsOf(dev, 'publish').some((s) => s.Resource === '*')).toBe(true);
  });

  it('let no function invoke another: runs reach the publish function through the stream, previews through the HTTP API', () => {
    for (const fn of FUNCTIONS) expect(actionsOf(statementsOf(dev, fn)), fn).not.toContain('lambda:InvokeFunction');
  });

  it('let only the functions that publish write to the site bucket, only its objects, and list its keys (a full publish asked for deletes what nothing claims)', () => {
    const bucketArn = {
      'Fn::GetStackOutput': {
        StackName: 'Pressrun-dev-stateful',
        Region: { Ref: 'AWS::Region' },
        OutputName: expect.stringMatching(/SiteBucket\w*Arn/),
      },
    };
    for (const fn of FUNCTIONS) {
      const s3 = statementsOf(dev, fn).filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:')));
      if (fn !== 'publish' && fn !== 'publishChunks') {
        expect(s3, fn).toEqual([]);
        continue;
      }
      expect(
        s3.map((s) => ({ actions: actionsOf([s]).sort(), resource: s.Resource })),
        fn,
      ).toEqual([
        { actions: ['s3:DeleteObject', 's3:PutObject'], resource: { 'Fn::Join': ['', [bucketArn, '/*']] } },
        { actions: ['s3:ListBucket'], resource: bucketArn },
      ]);
    }
  });

  it('let only the send worker send mail, only from the sender’s address through the configuration set', () => {
    for (const fn of FUNCTIONS) {
      const ses = statementsOf(dev, fn).filter((s) => actionsOf([s]).some((a) => a.startsWith('ses:Send')));
      if (fn !== 'sendWorker') {
        expect(ses, fn).toEqual([]);
        continue;
      }
      expect([...new Set(actionsOf(ses))].sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const resources = JSON.stringify(ses.map((s) => s.Resource));
      expect(resources).toContain(':identity/');
      expect(resources).toContain(':configuration-set/');
      expect(ses.flatMap((s) => [s.Resource].flat())).toHaveLength(3);
    }
  });

  it('let the send worker send in the SES sandbox, where SES also authorizes against the recipient’s identity: any identity, from the sender’s address only', () => {
    const statements = statementsOf(dev, 'sendWorker') as Array<Statement & { Condition?: unknown }>;
    const anyIdentity = statements.filter((s) => JSON.stringify(s.Resource).endsWith(':identity/*"]]}'));
    expect(anyIdentity).toHaveLength(1);
    expect(anyIdentity[0]).toMatchObject({
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      Condition: { StringEquals: { 'ses:FromAddress': 'news@example.com' } },
    });
  });

  it('let the send worker read the account’s send quota, to pace itself', () => {
    expect(statementsOf(dev, 'sendWorker')).toContainEqual(expect.objectContaining({ Action: 'ses:GetAccount', Resource: '*' }));
    for (const fn of FUNCTIONS.filter((f) => f !== 'sendWorker'))
      expect(actionsOf(statementsOf(dev, fn)), fn).not.toContain('ses:GetAccount');
  });

  it('let only the functions that publish invalidate, on their own distribution', () => {
    for (const fn of FUNCTIONS) {
      const publishes = fn === 'publish' || fn === 'publishChunks';
      const invalidations = statementsOf(dev, fn).filter((s) => actionsOf([s]).includes('cloudfront:CreateInvalidation'));
      expect(invalidations.length, fn).toBe(publishes ? 1 : 0);
      if (publishes) expect(JSON.stringify(invalidations[0]!.Resource)).toMatch(/:distribution\/.*"OutputName":"\w*RefDistribution/);
    }
  });

  it('give the preview function reads of the table and of the API token it asks for, nothing else', () => {
    const actions = actionsOf(statementsOf(dev, 'preview')).filter((a) => !a.startsWith('logs:'));
    expect(actions.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'secretsmanager:GetSecretValue']);
  });

  it('let the functions behind the HTTP API, and only those, read the origin secret CloudFront sends', () => {
    const behindTheApi = ['api', 'articles', 'preview'];
    for (const fn of FUNCTIONS) {
      const reads = statementsOf(dev, fn).filter(
        (s) => actionsOf([s]).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes('OriginVerify'),
      );
      expect(reads.length, fn).toBe(behindTheApi.includes(fn) ? 1 : 0);
      const variables = (
        dev.stateless.toJSON().Resources[idOf(dev, dev.stacks.stateless[fn].fn)].Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      if (!behindTheApi.includes(fn)) {
        expect(variables.PRESSRUN_ORIGIN_SECRET_ID, fn).toBeUndefined();
        continue;
      }
      expect(JSON.stringify(variables.PRESSRUN_ORIGIN_SECRET_ID), fn).toMatch(/OriginVerify/);
    }
  });

  it('give each secret only to the functions that read it', () => {
    const readers = (fn: (typeof FUNCTIONS)[number]) =>
      statementsOf(dev, fn)
        .filter((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue'))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r));
    expect(readers('api').join()).toMatch(/ApiToken.*TokenSigningKey|TokenSigningKey.*ApiToken/);
    expect(readers('sendWorker').join()).toMatch(/TokenSigningKey/);
    expect(readers('sendWorker').join()).not.toMatch(/ApiToken/);
    expect(readers('articles').join()).toMatch(/ApiToken/);
    expect(readers('articles').join()).not.toMatch(/TokenSigningKey/);
    expect(readers('preview').join()).toMatch(/ApiToken/);
    expect(readers('preview').join()).not.toMatch(/TokenSigningKey/);
    for (const fn of ['publish', 'sesEvents'] as const) expect(readers(fn), fn).toEqual([]);
  });
});

describe('secrets in the environment', () => {
  it('never appear: variables name secrets by ARN, and the templates hold no secret value, and one dynamic reference: the origin header', () => {
    const stateful = dev.stateful.toJSON() as {
      Resources: Resources;
      Outputs: Record<string, { Value: unknown; Export?: { Name: string } }>;
    };
    const secretIds = new Set(
      Object.entries(stateful.Resources)
        .filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret')
        .map(([id]) => id),
    );
    const secretOutput = (reference: { 'Fn::GetStackOutput'?: { OutputName: string } }) => {
      const output = stateful.Outputs[reference['Fn::GetStackOutput']?.OutputName ?? ''];
      return output !== undefined && secretIds.has((output.Value as { Ref?: string }).Ref ?? '');
    };
    for (const [, fn] of resourcesOf(dev.stateless, 'AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const [name, value] of Object.entries(variables)) {
        // Only our variables: the others configure the secrets extension (port, cache size, timeouts).
        if (!name.startsWith('PRESSRUN_') || !/SECRET|TOKEN|PASSWORD|KEY/i.test(name)) continue;
        expect(name).toMatch(/_SECRET_ID$/);
        expect(secretOutput(value as { 'Fn::GetStackOutput'?: { OutputName: string } }), name).toBe(true);
      }
    }
    expect(JSON.stringify(dev.stateless.toJSON())).not.toMatch(/resolve:secretsmanager|"SecretString"/);
    // The one dynamic reference: the origin secret CloudFront sends the API (resolved by CloudFormation, never in the template).
    const statefulJson = JSON.stringify(dev.stateful.toJSON());
    expect(statefulJson).not.toMatch(/"SecretString"/);
    expect(statefulJson.match(/resolve:secretsmanager/g)).toHaveLength(1);
    expect(statefulJson).toMatch(/"HeaderName":"X-Pressrun-Origin-Verify","HeaderValue":\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:"/);
  });
});

describe('what invokes the functions', () => {
  it('routes /api/articles and below to the articles function, the digest preview to the preview function, and every other /api path to the API function (payload 2.0), throttled, with access logs', () => {
    const integrations = new Map(
      resourcesOf(dev.stateless, 'AWS::ApiGatewayV2::Integration').map(([id, integration]) => [id, integration.Properties]),
    );
    const routes = resourcesOf(dev.stateless, 'AWS::ApiGatewayV2::Route').map(([, route]) => {
      const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = integrations.get(target['Fn::Join'][1][1].Ref)!;
      expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      return [route.Properties.RouteKey, (integration.IntegrationUri as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]];
    });
    const [api, articles, preview] = [
      idOf(dev, dev.stacks.stateless.api.fn),
      idOf(dev, dev.stacks.stateless.articles.fn),
      idOf(dev, dev.stacks.stateless.preview.fn),
    ];
    expect(Object.fromEntries(routes)).toEqual({
      'ANY /api/{proxy+}': api,
      'ANY /api/articles': articles,
      'ANY /api/articles/{proxy+}': articles,
      'ANY /api/digest/preview': preview,
    });
    dev.stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('feed the send worker from the send queue and the mail queue, with partial batch responses', () => {
    for (const queue of ['SendQueue', 'MailQueue']) {
      dev.stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: idOf(dev, dev.stacks.stateless.sendWorker.fn) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        EventSourceArn: fromStateful(queue),
      });
    }
  });

  it('let the API queue mail and send batches, the publish function only send batches, and the send worker put back its own deferred batches', () => {
    const queuesOf = (fn: (typeof FUNCTIONS)[number]) =>
      statementsOf(dev, fn)
        .filter((s) => actionsOf([s]).includes('sqs:SendMessage'))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r).match(/(PublishChunkQueue|SendQueue|MailQueue)/)?.[1])
        // Other queues are on-failure destinations (the SES-events function's), not work for the worker.
        .filter((queue) => queue !== undefined)
        .sort();
    expect(queuesOf('api')).toEqual(['MailQueue', 'SendQueue']);
    // The functions that publish queue the digest's batches, and a fanned-out publish's chunks.
    expect(queuesOf('publish')).toEqual(['PublishChunkQueue', 'SendQueue']);
    expect(queuesOf('publishChunks')).toEqual(['PublishChunkQueue', 'SendQueue']);
    // A batch SES throttles is put back with a delay and reported done, so a deferral never spends the batch's receives.
    expect(queuesOf('sendWorker')).toEqual(['SendQueue']);
    for (const fn of ['articles', 'preview', 'sesEvents'] as const) expect(queuesOf(fn), fn).toEqual([]);
  });

  it('carry out a fanned-out publish’s chunks from their queue, one message an invocation, eight at once, with partial batch responses', () => {
    const resources = dev.stateless.toJSON().Resources as Resources;
    expect(resources[idOf(dev, dev.stacks.stateless.publishChunks.fn)]!.Properties.Handler).toBe('index.chunks');
    dev.stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: idOf(dev, dev.stacks.stateless.publishChunks.fn) },
      EventSourceArn: fromStateful('PublishChunkQueue'),
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 8 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const timeout = resources[idOf(dev, dev.stacks.stateless.publishChunks.fn)]!.Properties.Timeout as number;
    const queue = dev.stacks.stateful.getLogicalId(dev.stacks.stateful.publishChunkQueue.node.defaultChild as never);
    const properties = dev.stateful.toJSON().Resources[queue].Properties;
    expect(properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    expect(properties.RedrivePolicy).toEqual({ deadLetterTargetArn: expect.anything(), maxReceiveCount: 5 });
    // A chunk is cut to take well under two minutes; the function may take three.
    expect(timeout).toBe(180);
  });

  it('hide a received message from other workers for at least six times the send worker’s timeout, as Lambda advises', () => {
    const timeout = dev.stateless.toJSON().Resources[idOf(dev, dev.stacks.stateless.sendWorker.fn)].Properties.Timeout as number;
    for (const queue of [dev.stacks.stateful.sendQueue, dev.stacks.stateful.mailQueue]) {
      const id = dev.stacks.stateful.getLogicalId(queue.node.defaultChild as never);
      expect(dev.stateful.toJSON().Resources[id].Properties.VisibilityTimeout, id).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  it('start the publish function from the table stream, for new queued runs only, retrying throttles for hours and keeping what still fails', () => {
    dev.stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: idOf(dev, dev.stacks.stateless.publish.fn) },
      EventSourceArn: fromStateful('StreamArn'),
      StartingPosition: 'LATEST',
      MaximumRecordAgeInSeconds: 6 * 3600,
      MaximumRetryAttempts: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['RUN'] }, status: { S: ['queued'] } } } }) },
        ],
      },
      DestinationConfig: { OnFailure: { Destination: fromStateful('FailedEventsQueue') } },
    });
  });

  it('subscribe the SES-events function to the topic and keep what still fails', () => {
    dev.stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [idOf(dev, dev.stacks.stateless.sesEvents.fn), 'Arn'] },
    });
    dev.stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: fromStateful('FailedEventsQueue') } },
    });
  });

  it('start the scheduled publish at the digest time in its time zone, with a dead-letter queue', () => {
    dev.stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [idOf(dev, dev.stacks.stateless.publish.fn), 'Arn'] },
        Input: Match.stringLikeRegexp('pressrun.schedule'),
        DeadLetterConfig: { Arn: fromStateful('FailedEventsQueue') },
      }),
    });
  });

  it('tick the rounds of the per-article, daily and weekly readers every five minutes, by a message on the send queue', () => {
    const ticks = resourcesOf(dev.stateless, 'AWS::Scheduler::Schedule').filter(
      ([, s]) => s.Properties.ScheduleExpression === 'rate(5 minutes)',
    );
    expect(ticks).toHaveLength(1);
    const target = ticks[0]![1].Properties.Target as {
      Input: string;
      Arn: Record<string, { OutputName: string }>;
      RoleArn: Record<string, string[]>;
    };
    expect(JSON.parse(target.Input)).toEqual({ tick: {} });
    expect(target.Arn['Fn::GetStackOutput']!.OutputName).toMatch(/SendQueue.*Arn/);
    // The schedule's role may send to that queue and nothing else.
    const roleId = target.RoleArn['Fn::GetAtt']![0];
    type Policy = { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } };
    const policies = resourcesOf(dev.stateless, 'AWS::IAM::Policy')
      .map(([, p]) => p.Properties as Policy)
      .filter((p) => p.Roles.some((r) => r.Ref === roleId));
    expect(actionsOf(policies.flatMap((p) => p.PolicyDocument.Statement))).toEqual(['sqs:SendMessage']);
    const worker = dev.stateless.toJSON().Resources[idOf(dev, dev.stacks.stateless.sendWorker.fn)];
    expect(worker.Properties.Environment.Variables.PRESSRUN_TIME_ZONE).toBe('UTC');
  });

  it('schedule no publish when each publish sends its digest, only the rounds tick', () => {
    const onPublish = synthesize('dev', { digestCadence: 'publish' });
    onPublish.stateless.resourceCountIs('AWS::Scheduler::Schedule', 1);
    const publish = onPublish.stateless.toJSON().Resources[idOf(onPublish, onPublish.stacks.stateless.publish.fn)];
    expect(publish.Properties.Environment.Variables.PRESSRUN_DIGEST_CADENCE).toBe('publish');
  });
});

describe('alarms', () => {
  it('watch errors of every function, throttles of all but the publish function, the dead-letter queues, and chunks left waiting', () => {
    const alarms = resourcesOf(dev.stateless, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms.filter((a) => a.MetricName === 'Errors')).toHaveLength(FUNCTIONS.length);
    expect(alarms.filter((a) => a.MetricName === 'Throttles')).toHaveLength(FUNCTIONS.length - 1);
    const depth = alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible').map((a) => JSON.stringify(a.Dimensions));
    expect(depth).toHaveLength(3);
    expect(depth.join()).toMatch(/SendDeadLetterQueue/);
    expect(depth.join()).toMatch(/FailedEventsQueue/);
    expect(depth.join()).toMatch(/PublishChunkDeadLetterQueue/);
    const age = alarms.filter((a) => a.MetricName === 'ApproximateAgeOfOldestMessage');
    expect(age).toHaveLength(1);
    expect(age[0]!.Threshold).toBe(1800);
    expect(JSON.stringify(age[0]!.Dimensions)).toMatch(/"OutputName":"\w*PublishChunkQueue\w*QueueName/);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
  });

  it('may publish to their topic: its policy (a Deny of plain HTTP replaces SNS’s default) allows CloudWatch, for this account’s alarms only', () => {
    const topic = idOf(dev, dev.stacks.stateless.alarmTopic);
    dev.stateless.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topic },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*'],
                  ],
                },
              },
            },
          },
        ]),
      },
    });
  });

  it('mail the operator when asked to', () => {
    synthesize('dev', { alarmEmail: 'ops@example.com' }).stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
