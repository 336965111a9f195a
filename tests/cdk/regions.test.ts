/**
 * Every commercial region with SES deploys. Lambda does not publish the arm64 Parameters and
 * Secrets extension everywhere: where it is missing, the functions that read secrets go to
 * Secrets Manager's API instead (functions/wiring/lambda.ts), told so by PRESSRUN_SECRETS_SOURCE.
 * Where CloudFormation has no SES resources, the synth refuses the region, saying so.
 */
import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { describe, expect, it } from 'vitest';
import { REGIONS_WITHOUT_SES } from '../../cdk/secrets-extension.js';
import { resourcesOf, synthesize } from './harness.js';

const COMMERCIAL = RegionInfo.regions.filter((r) => r.partition === 'aws').map((r) => r.name);
const DEPLOYABLE = COMMERCIAL.filter((region) => !REGIONS_WITHOUT_SES.includes(region));
const READS_SECRETS = ['api', 'articles', 'preview', 'sendWorker'] as const;

const byRegion = new Map<string, ReturnType<typeof synthesize>>();
/** Each region's stacks, synthesized once for every test that looks at them. */
function synthesized(region: string) {
  if (!byRegion.has(region)) byRegion.set(region, synthesize('dev', {}, { account: '123456789012', region }));
  return byRegion.get(region)!;
}

type Fn = { Layers?: unknown[]; Environment: { Variables: Record<string, string> } };

function secretsAccess(region: string) {
  const { stacks, stateless } = synthesized(region);
  const resources = stateless.toJSON().Resources as Record<string, { Properties: Fn }>;
  const fnOf = (name: (typeof READS_SECRETS)[number]) =>
    resources[stacks.stateless.getLogicalId(stacks.stateless[name].fn.node.defaultChild as never)]!.Properties;
  return { fnOf, all: resourcesOf(stateless, 'AWS::Lambda::Function').map(([, fn]) => fn.Properties as unknown as Fn) };
}

describe('regions', () => {
  it('include the ones Lambda publishes no arm64 secrets extension in', () => {
    expect(COMMERCIAL.length).toBeGreaterThan(30);
    expect(COMMERCIAL).toEqual(expect.arrayContaining(['us-east-1', 'eu-central-2', 'ca-west-1', 'il-central-1', 'mx-central-1']));
  });

  it.each(REGIONS_WITHOUT_SES)('%s: has no SES, and the synth says so, naming the region and what to do', (region) => {
    expect(COMMERCIAL).toContain(region);
    expect(() => synthesized(region)).toThrow(new RegExp(`SES is not available in ${region}.*deploy to a region with SES`));
  });

  it.each(DEPLOYABLE)('%s: every function that reads secrets gets the extension, or the flag that reads them from the API', (region) => {
    const { fnOf } = secretsAccess(region);
    const hasLayer = RegionInfo.get(region).paramsAndSecretsLambdaLayerArn('1.0.103', 'arm64') !== undefined;
    for (const name of READS_SECRETS) {
      const fn = fnOf(name);
      if (hasLayer) {
        expect(fn.Layers, `${region} ${name}`).toHaveLength(1);
        expect(fn.Environment.Variables.PRESSRUN_SECRETS_SOURCE, `${region} ${name}`).toBeUndefined();
      } else {
        expect(fn.Layers, `${region} ${name}`).toBeUndefined();
        expect(fn.Environment.Variables.PRESSRUN_SECRETS_SOURCE, `${region} ${name}`).toBe('secretsmanager-api');
      }
    }
  });

  it('give eu-central-2 no extension and the API flag, us-east-1 the extension', () => {
    expect(secretsAccess('eu-central-2').fnOf('api').Environment.Variables.PRESSRUN_SECRETS_SOURCE).toBe('secretsmanager-api');
    expect(secretsAccess('us-east-1').fnOf('api').Layers).toHaveLength(1);
  });
});

/**
 * CloudFront's legacy standard logging cannot write to a bucket in an opt-in region: creating
 * the distribution fails. There the logs come through logging v2, whose delivery resources
 * CloudFormation creates only in us-east-1: a third stack, there.
 */
describe('access logs', () => {
  it.each(DEPLOYABLE)(
    '%s: the distribution uses legacy logging where CloudFront can write to the bucket with it, and deploys elsewhere too',
    (region) => {
      const { stateful } = synthesized(region);
      const [distribution] = resourcesOf(stateful, 'AWS::CloudFront::Distribution');
      const logging = (distribution![1].Properties.DistributionConfig as { Logging?: { Bucket: unknown; Prefix: string } }).Logging;
      if (RegionInfo.get(region).isOptInRegion) expect(logging, region).toBeUndefined();
      else expect(logging, region).toMatchObject({ Bucket: expect.anything(), Prefix: 'cloudfront/' });
    },
  );

  it.each(['eu-central-2', 'ca-west-1'])(
    '%s: go to the logs bucket through logging v2, from a stack in us-east-1 (the only region its API answers in)',
    (region) => {
      const { app, stateful, templateOf } = synthesized(region);
      const logs = app.node.tryFindChild('Pressrun-dev-cloudfront-logs') as Stack | undefined;
      expect(logs?.region).toBe('us-east-1');
      const template = templateOf(logs!);
      const fromStateful = (output: RegExp) => ({
        'Fn::GetStackOutput': { StackName: 'Pressrun-dev-stateful', Region: region, OutputName: Match.stringLikeRegexp(output.source) },
      });
      template.hasResourceProperties('AWS::Logs::DeliverySource', { LogType: 'ACCESS_LOGS', ResourceArn: Match.anyValue() });
      expect(JSON.stringify(template.findResources('AWS::Logs::DeliverySource'))).toMatch(/"Region":"[a-z0-9-]+".*Distribution/);
      template.hasResourceProperties('AWS::Logs::DeliveryDestination', { DestinationResourceArn: fromStateful(/AccessLogs/) });
      template.hasResourceProperties('AWS::Logs::Delivery', {
        DeliverySourceName: Match.anyValue(),
        DeliveryDestinationArn: Match.anyValue(),
      });
      // The logs bucket lets the log delivery service write, for this account's delivery sources in us-east-1 only.
      stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'delivery.logs.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: {
                StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': '123456789012' },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:delivery-source:*']],
                  },
                },
              },
            }),
          ]),
        },
      });
    },
  );

  it('need no us-east-1 stack where legacy logging works', () => {
    expect(synthesized('eu-west-1').app.node.tryFindChild('Pressrun-dev-cloudfront-logs')).toBeUndefined();
  });

  it('are on in an environment-agnostic synth, which names no region', () => {
    const [distribution] = resourcesOf(synthesize('dev').stateful, 'AWS::CloudFront::Distribution');
    expect(distribution![1].Properties.DistributionConfig).toHaveProperty('Logging.Prefix', 'cloudfront/');
  });
});
