/**
 * Where the AWS Parameters and Secrets Lambda extension can serve the functions' secrets
 * (secrets-access.ts adds its arm64 layer to every function that reads one, where it exists).
 * One list for the stack's tests and for `pressrun doctor`; kept free of aws-cdk-lib so the
 * doctor loads it in no time.
 */

/**
 * Commercial regions where AWS does not publish the extension's arm64 layer, as aws-cdk-lib's
 * table of layer ARNs has it (tests/cdk/secrets-extension.test.ts keeps the two equal). There the
 * functions read secrets from Secrets Manager's API instead.
 */
export const REGIONS_WITHOUT_ARM64_SECRETS_EXTENSION: readonly string[] = [
  'eu-central-2',
  'ca-west-1',
  'il-central-1',
  'ap-southeast-4',
  'mx-central-1',
  'eu-south-2',
  'me-central-1',
  'ap-south-2',
  'ap-southeast-5',
  'ap-east-2',
  'ap-northeast-3',
  'ap-southeast-6',
  'ap-southeast-7',
  'me-west-1',
];

/**
 * Whether the stack reads secrets through the SDK in the regions above (true) or always through
 * the extension (false: a deploy there fails at synth). `pressrun doctor` reports the region
 * accordingly. True since the functions read Secrets Manager's API there (SECRETS_SOURCE).
 */
export const SECRETS_THROUGH_SDK_WITHOUT_EXTENSION = true;

/** The extension's version secrets-access.ts adds (`ParamsAndSecretsVersions.V1_0_103`). */
export const SECRETS_EXTENSION_VERSION = '1.0.103';

export const hasArm64SecretsExtension = (region: string): boolean => !REGIONS_WITHOUT_ARM64_SECRETS_EXTENSION.includes(region);

/** Tells a function to read from Secrets Manager's API; must match SECRETS_MANAGER_API in functions/wiring/lambda.ts. */
export const SECRETS_SOURCE = { PRESSRUN_SECRETS_SOURCE: 'secretsmanager-api' } as const;

/**
 * Commercial regions where CloudFormation has no SES resources (AWS::SES::EmailIdentity,
 * ConfigurationSet, ConfigurationSetEventDestination), as aws-cdk-lib's CloudFormation validator
 * reports when the stacks are synthesized there. The stacks mail through SES in their own region,
 * so a deploy there would fail at its first SES resource: the synth refuses it at once, and
 * `pressrun doctor` names it.
 */
export const REGIONS_WITHOUT_SES: readonly string[] = [
  'ap-east-1',
  'ap-east-2',
  'ap-southeast-4',
  'ap-southeast-6',
  'ap-southeast-7',
  'eu-south-2',
  'mx-central-1',
];

/** Why a stage cannot deploy to `region`, or undefined when it can. */
export function sesUnavailable(region: string): string | undefined {
  if (!REGIONS_WITHOUT_SES.includes(region)) return undefined;
  return `SES is not available in ${region}, and Pressrun mails through SES in its stacks' region: deploy to a region with SES (for example eu-west-1, us-east-1 or ap-southeast-2), with AWS_REGION or the profile's region`;
}
