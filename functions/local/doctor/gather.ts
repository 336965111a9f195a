/**
 * `pressrun doctor`, the reading part: asks the operator's account, with the standard AWS
 * credential and region chain (AWS_PROFILE, AWS_REGION, ~/.aws, AWS_ENDPOINT_URL…), for the facts
 * checks.ts judges. Every call that fails becomes a reading with its error, never a crash.
 */
import {
  SESv2Client,
  GetAccountCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetEmailIdentityCommand,
} from '@aws-sdk/client-sesv2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  REGIONS_WITHOUT_ARM64_SECRETS_EXTENSION,
  SECRETS_EXTENSION_VERSION,
  SECRETS_THROUGH_SDK_WITHOUT_EXTENSION,
} from '../../../cdk/secrets-extension.js';
import type {
  AccountFacts,
  AwsFacts,
  DoctorFacts,
  EventDestinationFacts,
  IdentityFacts,
  Reading,
  SecretsExtensionFacts,
} from './checks.js';
import type { StageSettings } from './settings.js';

export async function gatherFacts({ settings, unknownSettings, qualifier }: StageSettings): Promise<DoctorFacts> {
  const sts = new STSClient({});
  const region = await sts.config.region().catch(() => undefined);
  const base = { region, settings, unknownSettings, secretsExtension: await secretsExtension(region) };
  if (!region) return { ...base, caller: { error: 'no region' } };
  const caller = await sts.send(new GetCallerIdentityCommand({})).then(
    (answer) => ({ account: answer.Account ?? 'unknown', arn: answer.Arn ?? 'unknown' }),
    (error: unknown) => ({ error: describe(error) }),
  );
  if ('error' in caller) return { ...base, caller };
  const ses = new SESv2Client({ region });
  const [bootstrap, identityFacts, account] = await Promise.all([
    bootstrapVersion(new SSMClient({ region }), qualifier),
    'domain' in settings ? identity(ses, settings.domain) : undefined,
    sesAccount(ses),
  ]);
  const aws: AwsFacts = { bootstrap, account, ...identityFacts };
  return { ...base, caller, aws };
}

/** Runs one call: its answer as found, a not-found error (by name) as absent, any other error as its description. */
async function read<T>(call: () => Promise<T>, notFound: string): Promise<Reading<T>> {
  try {
    return { found: await call() };
  } catch (error) {
    if (error instanceof Error && error.name === notFound) return { absent: true };
    return { error: describe(error) };
  }
}

/** The version in the bootstrap stack's parameter: what the templates' CheckBootstrapVersion rule reads. */
function bootstrapVersion(ssm: SSMClient, qualifier: string): Promise<Reading<number>> {
  return read(async () => {
    const answer = await ssm.send(new GetParameterCommand({ Name: `/cdk-bootstrap/${qualifier}/version` }));
    return Number(answer.Parameter?.Value ?? 0);
  }, 'ParameterNotFound');
}

async function identity(ses: SESv2Client, domain: string): Promise<Pick<AwsFacts, 'identity' | 'eventDestinations'>> {
  const found: Reading<IdentityFacts> = await read(async () => {
    const answer = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
    return {
      verifiedForSending: answer.VerifiedForSendingStatus ?? false,
      dkimStatus: answer.DkimAttributes?.Status,
      dkimTokens: answer.DkimAttributes?.Tokens ?? [],
      configurationSetName: answer.ConfigurationSetName,
    };
  }, 'NotFoundException');
  const configurationSet = 'found' in found ? found.found.configurationSetName : undefined;
  if (!configurationSet) return { identity: found };
  return { identity: found, eventDestinations: await eventDestinations(ses, configurationSet) };
}

function eventDestinations(ses: SESv2Client, configurationSet: string): Promise<Reading<EventDestinationFacts[]>> {
  return read(async () => {
    const answer = await ses.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: configurationSet }));
    return (answer.EventDestinations ?? []).map((d) => ({
      name: d.Name ?? '',
      enabled: d.Enabled ?? false,
      events: (d.MatchingEventTypes ?? []).map((e) => e.toUpperCase()),
      snsTopicArn: d.SnsDestination?.TopicArn,
    }));
  }, 'NotFoundException');
}

function sesAccount(ses: SESv2Client): Promise<Reading<AccountFacts>> {
  return read(async () => {
    const answer = await ses.send(new GetAccountCommand({}));
    return {
      productionAccess: answer.ProductionAccessEnabled ?? false,
      sendingEnabled: answer.SendingEnabled ?? false,
      enforcementStatus: answer.EnforcementStatus,
      reviewStatus: answer.Details?.ReviewDetails?.Status,
      max24HourSend: answer.SendQuota?.Max24HourSend ?? 0,
      maxSendRate: answer.SendQuota?.MaxSendRate ?? 0,
      sentLast24Hours: answer.SendQuota?.SentLast24Hours ?? 0,
    };
  }, '');
}

/**
 * Whether the synth finds the layer: the shared list of regions without it, and aws-cdk-lib's own
 * table of layer ARNs (ParamsAndSecretsLayerVersion.fromVersion fails the synth without one).
 */
async function secretsExtension(region: string | undefined): Promise<SecretsExtensionFacts> {
  const published = region !== undefined && !REGIONS_WITHOUT_ARM64_SECRETS_EXTENSION.includes(region);
  let knownToCdk = published;
  if (region) {
    const { Fact, FactName } = await import('aws-cdk-lib/region-info');
    knownToCdk = Fact.find(region, FactName.paramsAndSecretsLambdaLayer(SECRETS_EXTENSION_VERSION, 'arm64')) !== undefined;
  }
  return { published, knownToCdk, throughSdkWithout: SECRETS_THROUGH_SDK_WITHOUT_EXTENSION };
}

/** One line for an error: its name and the first line of its message, or what an answer that is not the API's means. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.name === 'SyntaxError' && status !== undefined)
    return `HTTP ${status} with a body that is not the API's: the endpoint does not implement this call`;
  const first = error.message.split('\n')[0] ?? '';
  return `${error.name}${status !== undefined ? ` (HTTP ${status})` : ''}: ${first}`;
}
