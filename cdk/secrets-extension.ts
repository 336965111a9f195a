/**
 * Where the AWS Parameters and Secrets Lambda extension can serve the functions' secrets
 * (pressrun-function.ts adds its arm64 layer to every function that reads one). One list for the
 * stack and for `pressrun doctor`; kept free of aws-cdk-lib so the doctor loads it in no time.
 */

/**
 * Regions where AWS does not publish the extension's arm64 layer. aws-cdk-lib has no layer ARN
 * for them either, so `ParamsAndSecretsLayerVersion.fromVersion` fails the synth there.
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
];

/**
 * Whether the stack reads secrets through the SDK in the regions above (true) or always through
 * the extension (false: a deploy there fails at synth). Set it to true in the change that makes the
 * stack read them through the SDK there; `pressrun doctor` reports the region accordingly.
 */
export const SECRETS_THROUGH_SDK_WITHOUT_EXTENSION = false;

/** The extension's version pressrun-function.ts adds (`ParamsAndSecretsVersions.V1_0_103`). */
export const SECRETS_EXTENSION_VERSION = '1.0.103';

export const hasArm64SecretsExtension = (region: string): boolean => !REGIONS_WITHOUT_ARM64_SECRETS_EXTENSION.includes(region);
