/**
 * The stateful resources of the synthesized templates, created in moto from their own
 * definitions (a change of the template is a change of the rehearsal), and a resolver that
 * turns any template value (Ref, Fn::GetAtt, Fn::ImportValue, Fn::GetStackOutput, Fn::Join, Fn::Sub, Fn::Select,
 * Fn::Split, Fn::FindInMap, SSM parameters and dynamic references) into what it is in moto.
 *
 * What moto cannot hold (functions, roles, log groups, the HTTP API …) gets a stable physical
 * id and ARN of the shape AWS gives it, so references to it still resolve.
 */
import { randomBytes } from 'node:crypto';
import type { Assembly, CfnResource, SynthesizedStack } from './assembly.js';
import { awsJson, awsQuery, awsRest } from './aws-raw.js';
import { ACCOUNT, REGION } from './moto.js';

interface Physical {
  ref: string;
  attrs: Record<string, string>;
}

type Creator = (d: Deployment, stack: SynthesizedStack, logicalId: string, props: Record<string, unknown>) => Promise<Physical>;

/** Every resource type the rehearsal creates in moto; the rest are given ids only. */
export const CREATED_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::SecretsManager::Secret',
  'AWS::SES::ConfigurationSet',
  'AWS::SES::ConfigurationSetEventDestination',
  'AWS::SES::EmailIdentity',
  'AWS::CloudFront::Distribution',
  'AWS::SSM::Parameter',
] as const;

export class Deployment {
  readonly physical = new Map<string, Physical>();
  /** Export name → value, from every stack's Outputs. */
  readonly exports = new Map<string, string>();
  /** What the rehearsal could not create as the template says, in words. */
  readonly notes: string[] = [];
  private readonly creating = new Map<string, Promise<Physical>>();

  constructor(
    readonly assembly: Assembly,
    readonly moto: string,
  ) {}

  stack(name: string): SynthesizedStack {
    const found = this.assembly.stacks.find((s) => s.name === name);
    if (!found) throw new Error(`No stack ${name}`);
    return found;
  }

  /** Every resource of a type, across the stacks. */
  resources(type: string): Array<{ stack: SynthesizedStack; logicalId: string; resource: CfnResource }> {
    return this.assembly.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources)
        .filter(([, r]) => r.Type === type)
        .map(([logicalId, resource]) => ({ stack, logicalId, resource })),
    );
  }

  /** Creates every stateful resource of every stack in moto, stack by stack, and collects the exports. */
  async provision(): Promise<void> {
    this.physical.clear();
    this.creating.clear();
    this.exports.clear();
    this.notes.length = 0;
    for (const stack of this.assembly.stacks) {
      for (const logicalId of Object.keys(stack.template.Resources)) await this.ensure(stack, logicalId);
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export)
          this.exports.set(await this.resolveString(stack, output.Export.Name), await this.resolveString(stack, output.Value));
      }
    }
  }

  private key = (stack: SynthesizedStack, logicalId: string) => `${stack.name}/${logicalId}`;

  async ensure(stack: SynthesizedStack, logicalId: string): Promise<Physical> {
    const key = this.key(stack, logicalId);
    const done = this.physical.get(key);
    if (done) return done;
    let pending = this.creating.get(key);
    if (!pending) {
      const resource = stack.template.Resources[logicalId];
      if (!resource) throw new Error(`${stack.name} has no resource ${logicalId}`);
      pending = (async () => {
        const create = CREATORS[resource.Type];
        const physical = create
          ? await create(this, stack, logicalId, (await this.resolve(stack, resource.Properties ?? {})) as Record<string, unknown>)
          : placeholder(stack, logicalId, resource);
        this.physical.set(key, physical);
        return physical;
      })();
      this.creating.set(key, pending);
    }
    return pending;
  }

  /** Any template value, resolved against the resources in moto. */
  async resolve(stack: SynthesizedStack, value: unknown): Promise<unknown> {
    if (typeof value === 'string') return this.dynamicReferences(value);
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.resolve(stack, v)));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      if (fn === 'Ref' || fn.startsWith('Fn::')) return this.intrinsic(stack, fn, arg);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) out[k] = await this.resolve(stack, v);
    return out;
  }

  async resolveString(stack: SynthesizedStack, value: unknown): Promise<string> {
    const resolved = await this.resolve(stack, value);
    if (typeof resolved !== 'string' && typeof resolved !== 'number' && typeof resolved !== 'boolean')
      throw new Error(`Expected a string, got ${JSON.stringify(resolved)} from ${JSON.stringify(value)}`);
    return String(resolved);
  }

  private async intrinsic(stack: SynthesizedStack, fn: string, arg: unknown): Promise<unknown> {
    const str = (v: unknown) => this.resolveString(stack, v);
    switch (fn) {
      case 'Ref':
        return this.ref(stack, arg as string);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as [string, string]) : (String(arg).split(/\.(.*)/s) as [string, string]);
        const physical = await this.ensure(stack, id);
        const value = physical.attrs[attr];
        if (value === undefined) throw new Error(`${stack.name}: the rehearsal has no attribute ${attr} of ${id}`);
        return value;
      }
      case 'Fn::ImportValue': {
        const name = await str(arg);
        const value = this.exports.get(name);
        if (value === undefined) throw new Error(`${stack.name}: no stack exports ${name}`);
        return value;
      }
      case 'Fn::GetStackOutput': {
        // A weak cross-stack reference (cdk.json): the producing stack's output, read where it is; one region here.
        const { StackName, OutputName } = arg as { StackName: unknown; OutputName: unknown };
        const producer = this.stack(await str(StackName));
        const output = producer.template.Outputs?.[await str(OutputName)];
        if (output === undefined) throw new Error(`${stack.name}: ${producer.name} has no output ${await str(OutputName)}`);
        return this.resolve(producer, output.Value);
      }
      case 'Fn::Join': {
        const [separator, list] = arg as [string, unknown[]];
        const parts = (await this.resolve(stack, list)) as unknown[];
        // CloudFormation resolves dynamic references after intrinsics: a reference may be joined from an ARN.
        return this.dynamicReferences(parts.map(String).join(separator));
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return ((await this.resolve(stack, list)) as unknown[])[Number(await this.resolve(stack, index))];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return (await str(source)).split(separator);
      }
      case 'Fn::FindInMap': {
        const [map, first, second] = (await this.resolve(stack, arg)) as [string, string, string];
        const value = stack.template.Mappings?.[map]?.[first]?.[second];
        if (value === undefined) throw new Error(`${stack.name}: no mapping ${map}.${first}.${second}`);
        return value;
      }
      case 'Fn::Sub': {
        const [template, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
        const values: Record<string, string> = {};
        for (const [k, v] of Object.entries(variables)) values[k] = await str(v);
        let out = '';
        let last = 0;
        for (const match of template.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          out += template.slice(last, match.index);
          const name = match[1]!;
          out +=
            values[name] ??
            (name.includes('.') && !name.startsWith('AWS::')
              ? await str({ 'Fn::GetAtt': name.split(/\.(.*)/s).slice(0, 2) })
              : await this.ref(stack, name));
          last = match.index + match[0].length;
        }
        return this.dynamicReferences(out + template.slice(last));
      }
      case 'Fn::Base64':
        return Buffer.from(await str(arg)).toString('base64');
      default:
        throw new Error(
          `${stack.name}: the rehearsal cannot resolve ${fn} (${JSON.stringify(arg).slice(0, 200)}); teach tests/cloud/deployment.ts`,
        );
    }
  }

  private async ref(stack: SynthesizedStack, name: string): Promise<string> {
    const pseudo: Record<string, string> = {
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack.name,
      'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stack.name}/rehearsal`,
      'AWS::NoValue': '',
    };
    if (name in pseudo) return pseudo[name]!;
    const parameter = stack.template.Parameters?.[name];
    if (parameter) {
      // SSM-typed parameters hold a parameter's name; CloudFormation reads its value at deploy.
      if (parameter.Type.startsWith('AWS::SSM::Parameter::Value')) return this.ssmValue(String(parameter.Default));
      if (parameter.Default === undefined) throw new Error(`${stack.name}: parameter ${name} has no default`);
      return String(parameter.Default);
    }
    return (await this.ensure(stack, name)).ref;
  }

  /** `{{resolve:ssm:name}}` and `{{resolve:secretsmanager:id:SecretString:key}}`, as CloudFormation resolves them at deploy. */
  private async dynamicReferences(value: string): Promise<string> {
    if (!value.includes('{{resolve:')) return value;
    let out = '';
    let last = 0;
    for (const match of value.matchAll(/\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}]*)\}\}/g)) {
      out += value.slice(last, match.index);
      if (match[1] === 'secretsmanager') {
        const [id, , jsonKey, stage, versionId] = splitSecretReference(match[2]!);
        const secret = await awsJson<{ SecretString: string }>(this.moto, 'secretsmanager', 'secretsmanager.GetSecretValue', {
          SecretId: id,
          ...(stage ? { VersionStage: stage } : {}),
          ...(versionId ? { VersionId: versionId } : {}),
        });
        out += jsonKey ? String((JSON.parse(secret.SecretString) as Record<string, unknown>)[jsonKey]) : secret.SecretString;
      } else {
        out += await this.ssmValue(match[2]!.split(':')[0]!);
      }
      last = match.index + match[0].length;
    }
    return out + value.slice(last);
  }

  private async ssmValue(name: string): Promise<string> {
    const { Parameter } = await awsJson<{ Parameter: { Value: string } }>(this.moto, 'ssm', 'AmazonSSM.GetParameter', { Name: name });
    return Parameter.Value;
  }
}

/** `arn:aws:secretsmanager:…:secret:name-AbCdEf:SecretString:key:stage:version`: the ARN has colons of its own. */
function splitSecretReference(reference: string): string[] {
  const marker = reference.indexOf(':SecretString');
  if (marker < 0) return [reference];
  return [reference.slice(0, marker), ...reference.slice(marker + 1).split(':')];
}

const physicalName = (stack: SynthesizedStack, logicalId: string, max = 80) =>
  `${stack.name}-${logicalId}`.replace(/[^A-Za-z0-9-_]/g, '-').slice(0, max);

function placeholder(stack: SynthesizedStack, logicalId: string, resource: CfnResource): Physical {
  const name = physicalName(stack, logicalId, 64);
  const arn = (service: string, resourcePart: string, region = REGION) => `arn:aws:${service}:${region}:${ACCOUNT}:${resourcePart}`;
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
      return { ref: name, attrs: { Arn: arn('lambda', `function:${name}`) } };
    case 'AWS::IAM::Role':
      return { ref: name, attrs: { Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, RoleId: `AROA${logicalId.toUpperCase()}` } };
    case 'AWS::Logs::LogGroup':
      return { ref: `/aws/rehearsal/${name}`, attrs: { Arn: arn('logs', `log-group:/aws/rehearsal/${name}:*`) } };
    case 'AWS::ApiGatewayV2::Api': {
      const id = logicalId.slice(0, 10).toLowerCase();
      return { ref: id, attrs: { ApiId: id, ApiEndpoint: `https://${id}.execute-api.${REGION}.amazonaws.com` } };
    }
    case 'AWS::CloudFront::Function':
      return { ref: name, attrs: { FunctionARN: `arn:aws:cloudfront::${ACCOUNT}:function/${name}`, Stage: 'LIVE' } };
    case 'AWS::CloudFront::OriginAccessControl':
    case 'AWS::CloudFront::ResponseHeadersPolicy':
    case 'AWS::CloudFront::CachePolicy':
      return { ref: logicalId.toUpperCase().slice(0, 14), attrs: { Id: logicalId.toUpperCase().slice(0, 14) } };
    default:
      return { ref: name, attrs: { Arn: arn('rehearsal', name), Id: name, Name: name } };
  }
}

const randomSecret = (length: number, excludePunctuation: boolean) => {
  const alphabet = `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789${excludePunctuation ? '' : '!#$%&()*+,-./:;<=>?@[]^_{|}~'}`;
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
};

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const CREATORS: Record<string, Creator> = {
  async 'AWS::DynamoDB::Table'(d, stack, logicalId, p) {
    const TableName = (p.TableName as string | undefined) ?? physicalName(stack, logicalId, 255);
    const stream = p.StreamSpecification as { StreamViewType?: string } | undefined;
    const indexes = (list: unknown) =>
      (list as Array<Record<string, unknown>> | undefined)?.map(({ IndexName, KeySchema, Projection }) => ({
        IndexName,
        KeySchema,
        Projection,
      }));
    const { TableDescription } = await awsJson<{ TableDescription: { TableArn: string; LatestStreamArn?: string } }>(
      d.moto,
      'dynamodb',
      'DynamoDB_20120810.CreateTable',
      {
        TableName,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        BillingMode: p.BillingMode ?? 'PROVISIONED',
        ...(p.ProvisionedThroughput ? { ProvisionedThroughput: p.ProvisionedThroughput } : {}),
        ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: indexes(p.GlobalSecondaryIndexes) } : {}),
        ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: indexes(p.LocalSecondaryIndexes) } : {}),
        ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType } } : {}),
      },
    );
    const ttl = p.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl) await awsJson(d.moto, 'dynamodb', 'DynamoDB_20120810.UpdateTimeToLive', { TableName, TimeToLiveSpecification: ttl });
    return {
      ref: TableName,
      attrs: {
        Arn: TableDescription.TableArn,
        ...(TableDescription.LatestStreamArn ? { StreamArn: TableDescription.LatestStreamArn } : {}),
      },
    };
  },

  async 'AWS::S3::Bucket'(d, stack, logicalId, p) {
    const name = ((p.BucketName as string | undefined) ?? physicalName(stack, logicalId, 63)).toLowerCase();
    const created = await awsRest(d.moto, 's3', 'PUT', `/${name}`);
    if (created.status >= 300) throw new Error(`CreateBucket ${name}: ${created.status} ${created.text}`);
    const versioning = (p.VersioningConfiguration as { Status?: string } | undefined)?.Status;
    if (versioning) {
      await awsRest(d.moto, 's3', 'PUT', `/${name}?versioning`, {
        body: `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>${versioning}</Status></VersioningConfiguration>`,
      });
    }
    return {
      ref: name,
      attrs: {
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${REGION}.amazonaws.com`,
        DualStackDomainName: `${name}.s3.dualstack.${REGION}.amazonaws.com`,
        WebsiteURL: `http://${name}.s3-website-${REGION}.amazonaws.com`,
      },
    };
  },

  async 'AWS::SQS::Queue'(d, stack, logicalId, p) {
    const fifo = p.FifoQueue === true || p.FifoQueue === 'true';
    const QueueName = (p.QueueName as string | undefined) ?? `${physicalName(stack, logicalId, 75)}${fifo ? '.fifo' : ''}`;
    const Attributes: Record<string, string> = {};
    for (const name of [
      'VisibilityTimeout',
      'MessageRetentionPeriod',
      'MaximumMessageSize',
      'DelaySeconds',
      'ReceiveMessageWaitTimeSeconds',
      'FifoQueue',
      'ContentBasedDeduplication',
      'SqsManagedSseEnabled',
      'KmsMasterKeyId',
    ]) {
      if (p[name] !== undefined) Attributes[name] = String(p[name]);
    }
    if (p.RedrivePolicy) Attributes.RedrivePolicy = typeof p.RedrivePolicy === 'string' ? p.RedrivePolicy : JSON.stringify(p.RedrivePolicy);
    const { QueueUrl } = await awsJson<{ QueueUrl: string }>(d.moto, 'sqs', 'AmazonSQS.CreateQueue', { QueueName, Attributes });
    return { ref: QueueUrl, attrs: { Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${QueueName}`, QueueName, QueueUrl } };
  },

  async 'AWS::SNS::Topic'(d, stack, logicalId, p) {
    const Name = (p.TopicName as string | undefined) ?? physicalName(stack, logicalId, 256);
    const xml = await awsQuery(d.moto, 'sns', { Action: 'CreateTopic', Name });
    const arn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(xml)?.[1] ?? `arn:aws:sns:${REGION}:${ACCOUNT}:${Name}`;
    return { ref: arn, attrs: { TopicArn: arn, TopicName: Name } };
  },

  async 'AWS::SecretsManager::Secret'(d, stack, logicalId, p) {
    const Name = (p.Name as string | undefined) ?? physicalName(stack, logicalId, 200);
    let SecretString = p.SecretString as string | undefined;
    const generate = p.GenerateSecretString as
      { PasswordLength?: number; ExcludePunctuation?: boolean; SecretStringTemplate?: string; GenerateStringKey?: string } | undefined;
    if (SecretString === undefined && generate) {
      const value = randomSecret(generate.PasswordLength ?? 32, generate.ExcludePunctuation ?? false);
      SecretString =
        generate.SecretStringTemplate && generate.GenerateStringKey
          ? JSON.stringify({ ...(JSON.parse(generate.SecretStringTemplate) as object), [generate.GenerateStringKey]: value })
          : value;
    }
    const { ARN } = await awsJson<{ ARN: string }>(d.moto, 'secretsmanager', 'secretsmanager.CreateSecret', {
      Name,
      SecretString: SecretString ?? randomSecret(32, true),
      ...(p.Description ? { Description: p.Description } : {}),
    });
    return { ref: ARN, attrs: { Id: ARN } };
  },

  async 'AWS::SES::ConfigurationSet'(d, stack, logicalId, p) {
    const name = (p.Name as string | undefined) ?? physicalName(stack, logicalId, 64);
    const { status, text } = await awsRest(d.moto, 'ses', 'POST', '/v2/email/configuration-sets', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ConfigurationSetName: name,
        ...(p.ReputationOptions ? { ReputationOptions: p.ReputationOptions } : {}),
        ...(p.SuppressionOptions ? { SuppressionOptions: p.SuppressionOptions } : {}),
        ...(p.SendingOptions ? { SendingOptions: p.SendingOptions } : {}),
      }),
    });
    if (status >= 300) throw new Error(`CreateConfigurationSet ${name}: ${status} ${text}`);
    return { ref: name, attrs: {} };
  },

  async 'AWS::SES::ConfigurationSetEventDestination'(d, stack, logicalId, p) {
    const set = p.ConfigurationSetName as string;
    const destination = p.EventDestination as Record<string, unknown>;
    const name = (destination.Name as string | undefined) ?? logicalId;
    const { status } = await awsRest(d.moto, 'ses', 'POST', `/v2/email/configuration-sets/${encodeURIComponent(set)}/event-destinations`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        EventDestinationName: name,
        EventDestination: {
          Enabled: destination.Enabled ?? false,
          MatchingEventTypes: (destination.MatchingEventTypes as string[]).map((t) => t.toUpperCase()),
          ...(destination.SnsDestination
            ? { SnsDestination: { TopicArn: (destination.SnsDestination as { TopicARN: string }).TopicARN } }
            : {}),
        },
      }),
    });
    if (status >= 300)
      d.notes.push(`moto did not take the configuration set's event destination ${name} (HTTP ${status}); moto sends no SES events anyway`);
    return { ref: name, attrs: {} };
  },

  async 'AWS::SES::EmailIdentity'(d, _stack, _logicalId, p) {
    const identity = p.EmailIdentity as string;
    const set = (p.ConfigurationSetAttributes as { ConfigurationSetName?: string } | undefined)?.ConfigurationSetName;
    const { status, text } = await awsRest(d.moto, 'ses', 'POST', '/v2/email/identities', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ EmailIdentity: identity, ...(set ? { ConfigurationSetName: set } : {}) }),
    });
    if (status >= 300) throw new Error(`CreateEmailIdentity ${identity}: ${status} ${text}`);
    return { ref: identity, attrs: {} };
  },

  async 'AWS::CloudFront::Distribution'(d, stack, logicalId, p) {
    const config = p.DistributionConfig as Record<string, unknown>;
    const origins = (config.Origins as Array<Record<string, unknown>>) ?? [];
    const origin = (o: Record<string, unknown>) =>
      `<Origin><Id>${xmlEscape(String(o.Id))}</Id><DomainName>${xmlEscape(String(o.DomainName))}</DomainName>` +
      (o.OriginPath ? `<OriginPath>${xmlEscape(String(o.OriginPath))}</OriginPath>` : '') +
      (o.CustomOriginConfig
        ? `<CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>https-only</OriginProtocolPolicy></CustomOriginConfig>`
        : `<S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig>`) +
      `</Origin>`;
    const behavior = config.DefaultCacheBehavior as Record<string, unknown>;
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">` +
      `<CallerReference>${logicalId}-${Date.now()}</CallerReference>` +
      `<Origins><Quantity>${origins.length}</Quantity><Items>${origins.map(origin).join('')}</Items></Origins>` +
      `<DefaultCacheBehavior><TargetOriginId>${xmlEscape(String(behavior.TargetOriginId))}</TargetOriginId>` +
      `<ViewerProtocolPolicy>${String(behavior.ViewerProtocolPolicy ?? 'allow-all')}</ViewerProtocolPolicy>` +
      (behavior.CachePolicyId ? `<CachePolicyId>${String(behavior.CachePolicyId)}</CachePolicyId>` : '') +
      `</DefaultCacheBehavior><Comment>${xmlEscape(String(config.Comment ?? ''))}</Comment><Enabled>${String(config.Enabled ?? true)}</Enabled>` +
      `</DistributionConfig>`;
    const { status, text } = await awsRest(d.moto, 'cloudfront', 'POST', '/2020-05-31/distribution', {
      headers: { 'content-type': 'application/xml' },
      body: xml,
    });
    if (status >= 300) throw new Error(`CreateDistribution ${stack.name}/${logicalId}: ${status} ${text.slice(0, 500)}`);
    const id = /<Id>([^<]+)<\/Id>/.exec(text)![1]!;
    const domain = /<DomainName>([^<]+)<\/DomainName>/.exec(text)![1]!;
    return { ref: id, attrs: { Id: id, DomainName: domain } };
  },

  async 'AWS::SSM::Parameter'(d, stack, logicalId, p) {
    const Name = (p.Name as string | undefined) ?? `/rehearsal/${physicalName(stack, logicalId)}`;
    await awsJson(d.moto, 'ssm', 'AmazonSSM.PutParameter', { Name, Value: String(p.Value), Type: p.Type ?? 'String', Overwrite: true });
    return { ref: Name, attrs: { Type: String(p.Type ?? 'String'), Value: String(p.Value) } };
  },
};
