import { readFileSync } from 'node:fs';
import { ParamsAndSecretsVersions } from 'aws-cdk-lib/aws-lambda';
import { Fact, FactName, RegionInfo } from 'aws-cdk-lib/region-info';
import { describe, expect, it } from 'vitest';
import { REGIONS_WITHOUT_ARM64_SECRETS_EXTENSION, SECRETS_EXTENSION_VERSION } from '../../cdk/secrets-extension.js';

const layerArn = (region: string) => Fact.find(region, FactName.paramsAndSecretsLambdaLayer(SECRETS_EXTENSION_VERSION, 'arm64'));

describe('cdk/secrets-extension.ts', () => {
  it('names the version of the layer the functions get', () => {
    expect(SECRETS_EXTENSION_VERSION).toBe(ParamsAndSecretsVersions.V1_0_103);
    const construct = readFileSync(new URL('../../cdk/secrets-access.ts', import.meta.url), 'utf8');
    expect(construct).toContain('ParamsAndSecretsVersions.V1_0_103');
  });

  it('lists every commercial region where aws-cdk-lib has no arm64 layer, and none where it has one', () => {
    const commercial = RegionInfo.regions.filter((r) => r.partition === 'aws').map((r) => r.name);
    expect([...REGIONS_WITHOUT_ARM64_SECRETS_EXTENSION].sort()).toEqual(
      commercial.filter((region) => layerArn(region) === undefined).sort(),
    );
    expect(REGIONS_WITHOUT_ARM64_SECRETS_EXTENSION.filter((region) => layerArn(region) !== undefined)).toEqual([]);
    expect(layerArn('us-east-1')).toMatch(/^arn:aws:lambda:us-east-1:\d+:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:/);
  });
});
