/**
 * Every commercial region deploys. Lambda does not publish the arm64 Parameters and Secrets
 * extension everywhere: where it is missing, the functions that read secrets go to Secrets
 * Manager's API instead (functions/wiring/lambda.ts), told so by PRESSRUN_SECRETS_SOURCE.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { describe, expect, it } from 'vitest';
import { resourcesOf, synthesize } from './harness.js';

const COMMERCIAL = RegionInfo.regions.filter((r) => r.partition === 'aws').map((r) => r.name);
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

  it.each(COMMERCIAL)('%s: every function that reads secrets gets the extension, or the flag that reads them from the API', (region) => {
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
 * the distribution fails. Logging v2 could, but its delivery resources must be created in
 * us-east-1, which a stack in another region cannot do; there the distribution logs nothing
 * (docs/deploy.md says so and how to add v2 by hand).
 */
describe('access logs', () => {
  it.each(COMMERCIAL)(
    '%s: the distribution logs to the logs bucket where CloudFront can write to it, and deploys elsewhere too',
    (region) => {
      const { stateful } = synthesized(region);
      const [distribution] = resourcesOf(stateful, 'AWS::CloudFront::Distribution');
      const logging = (distribution![1].Properties.DistributionConfig as { Logging?: { Bucket: unknown; Prefix: string } }).Logging;
      if (RegionInfo.get(region).isOptInRegion) expect(logging, region).toBeUndefined();
      else expect(logging, region).toMatchObject({ Bucket: expect.anything(), Prefix: 'cloudfront/' });
    },
  );

  it('are on in an environment-agnostic synth, which names no region', () => {
    const [distribution] = resourcesOf(synthesize('dev').stateful, 'AWS::CloudFront::Distribution');
    expect(distribution![1].Properties.DistributionConfig).toHaveProperty('Logging.Prefix', 'cloudfront/');
  });
});
