/**
 * `pressrun doctor`, the pure part: what the gatherer (gather.ts) read from the operator's
 * account becomes a list of checks, each ok, info, warn or fail, with the fix to run. No SDK, no
 * environment, no clock here: every fact comes in as an argument.
 *
 * The line between warn and fail: a check fails when the first deploy would fail or the
 * deployment could not do its job once deployed (an account whose sending is paused, bounces that
 * never reach it); it warns when the deploy succeeds but something needs the operator before
 * readers get mail (the DKIM records, the SES sandbox).
 */
import { sesUnavailable } from '../../../cdk/secrets-extension.js';

export type CheckStatus = 'ok' | 'info' | 'warn' | 'fail';

export interface Check {
  name: string;
  status: CheckStatus;
  /** One line: what was found. */
  summary: string;
  /** What to run or do, one line each; empty when there is nothing to do. */
  fix: string[];
}

/** One reading of the account: what was found, that nothing is there, or why it could not be read. */
export type Reading<T> = { found: T } | { absent: true } | { error: string };

export interface IdentityFacts {
  verifiedForSending: boolean;
  /** DkimAttributes.Status: PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE, NOT_STARTED. */
  dkimStatus: string | undefined;
  dkimTokens: string[];
  /** The identity's default configuration set; the stack's identity always has one. */
  configurationSetName: string | undefined;
}

export interface AccountFacts {
  productionAccess: boolean;
  sendingEnabled: boolean;
  /** HEALTHY, PROBATION or SHUTDOWN. */
  enforcementStatus: string | undefined;
  /** The production access request's review, if one was made: PENDING, GRANTED, DENIED, FAILED. */
  reviewStatus: string | undefined;
  max24HourSend: number;
  maxSendRate: number;
  sentLast24Hours: number;
}

export interface EventDestinationFacts {
  name: string;
  enabled: boolean;
  /** Upper case, as SES v2 names them: BOUNCE, COMPLAINT, … */
  events: string[];
  snsTopicArn: string | undefined;
}

export interface SettingsFacts {
  stage: string;
  sender: string;
  /** The sender's domain: the SES identity the stack creates. */
  domain: string;
}

export interface DoctorFacts {
  /** The region of the operator's configuration (AWS_REGION, the profile); the deploy goes there. */
  region: string | undefined;
  /** The stage's settings, or the problems `cdk synth` would report for them. */
  settings: SettingsFacts | { problems: string[] };
  /** `-c` keys the doctor was given that neither cdk/config.ts nor the CDK reads. */
  unknownSettings: string[];
  caller: { account: string; arn: string } | { error: string };
  /** Read only with working credentials and a region. */
  aws?: AwsFacts;
  secretsExtension: SecretsExtensionFacts;
}

export interface AwsFacts {
  /** The version in the bootstrap stack's SSM parameter, which every synthesized template checks. */
  bootstrap: Reading<number>;
  /** Read only with valid settings. */
  identity?: Reading<IdentityFacts>;
  /** Read only when the identity names its configuration set. */
  eventDestinations?: Reading<EventDestinationFacts[]>;
  account: Reading<AccountFacts>;
}

export interface SecretsExtensionFacts {
  /** AWS publishes the extension's arm64 layer in the region (cdk/secrets-extension.ts). */
  published: boolean;
  /** aws-cdk-lib knows the layer's ARN in the region; without it the synth fails. */
  knownToCdk: boolean;
  /** The stack reads secrets through the SDK where the layer is not published. */
  throughSdkWithout: boolean;
}

/** The bootstrap version every template of aws-cdk-lib's DefaultStackSynthesizer asks for (its CheckBootstrapVersion rule). */
export const MIN_BOOTSTRAP_VERSION = 6;

const check = (name: string, status: CheckStatus, summary: string, fix: string[] = []): Check => ({ name, status, summary, fix });

/** Every check, in the order a first deploy meets them. */
export function doctorChecks(facts: DoctorFacts): Check[] {
  const checks = [credentialsCheck(facts), ...settingsChecks(facts)];
  const { aws, caller, region } = facts;
  if (aws && region && 'account' in caller) {
    checks.push(bootstrapCheck(aws.bootstrap, caller.account, region));
    if ('domain' in facts.settings) checks.push(...identityChecks(facts.settings, aws, region));
    checks.push(...accountChecks(aws.account, region));
  }
  if (region) checks.push(sesRegionCheck(region), secretsExtensionCheck(facts.secretsExtension, region));
  return checks;
}

/** The stacks mail through SES in their own region: where CloudFormation has none, the synth refuses the region. */
function sesRegionCheck(region: string): Check {
  if (!sesUnavailable(region)) return check('SES in the region', 'ok', `CloudFormation can create SES resources in ${region}`);
  return check('SES in the region', 'fail', `no SES in ${region}: cdk synth refuses the region`, [
    'deploy to a region with SES (for example eu-west-1, us-east-1 or ap-southeast-2): AWS_REGION=… or the profile’s region',
  ]);
}

function credentialsCheck({ caller, region }: DoctorFacts): Check {
  if (!region) {
    return check('AWS account', 'fail', 'no AWS region configured: the deploy goes to the region of your AWS configuration', [
      'export AWS_REGION=<region>   (or set region in your profile in ~/.aws/config)',
    ]);
  }
  if ('error' in caller) {
    return check('AWS account', 'fail', `no working AWS credentials: ${caller.error}`, [
      'aws configure, or export AWS_PROFILE=<profile> (after aws sso login --profile <profile> for SSO)',
      'the checks of the account run once `aws sts get-caller-identity` answers',
    ]);
  }
  return check('AWS account', 'ok', `account ${caller.account} in ${region}, as ${caller.arn}`);
}

function settingsChecks({ settings, unknownSettings }: DoctorFacts): Check[] {
  const checks: Check[] = [];
  if ('problems' in settings) {
    checks.push(check('Settings', 'fail', 'cdk synth would reject these settings', settings.problems));
  } else if (settings.domain === 'example.com') {
    checks.push(
      check('Settings', 'fail', `sender ${settings.sender} is the placeholder: nobody can verify example.com for SES`, [
        'pass your own: -c sender=news@yourdomain.example (on cdk deploy too)',
      ]),
    );
  } else {
    checks.push(check('Settings', 'ok', `stage ${settings.stage}, sender ${settings.sender}`));
  }
  if (unknownSettings.length > 0) {
    checks.push(
      check('Settings', 'warn', `cdk ignores ${unknownSettings.map((k) => `-c ${k}`).join(', ')}: not a Pressrun setting`, [
        'the settings are listed in docs/deploy.md (a custom domain is -c domainName=… with -c certificateArn=…)',
      ]),
    );
  }
  return checks;
}

function bootstrapCheck(bootstrap: Reading<number>, account: string, region: string): Check {
  const command = `npx cdk bootstrap aws://${account}/${region}`;
  if ('error' in bootstrap) return check('CDK bootstrap', 'warn', `could not read the bootstrap version: ${bootstrap.error}`, [command]);
  if ('absent' in bootstrap) return check('CDK bootstrap', 'fail', `aws://${account}/${region} is not bootstrapped`, [command]);
  if (bootstrap.found < MIN_BOOTSTRAP_VERSION) {
    return check('CDK bootstrap', 'fail', `bootstrap version ${bootstrap.found}; the templates need ${MIN_BOOTSTRAP_VERSION} or later`, [
      `${command}   (upgrades the bootstrap stack in place)`,
    ]);
  }
  return check('CDK bootstrap', 'ok', `aws://${account}/${region}, version ${bootstrap.found}`);
}

/** The DNS records that verify a domain with Easy DKIM, one line each. */
export const dkimRecords = (domain: string, tokens: string[]): string[] =>
  tokens.map((token) => `${token}._domainkey.${domain}  CNAME  ${token}.dkim.amazonses.com`);

function identityChecks(settings: SettingsFacts, aws: AwsFacts, region: string): Check[] {
  const { domain, stage } = settings;
  const name = `SES identity ${domain}`;
  const identity = aws.identity;
  if (!identity || 'error' in identity) {
    return [
      check(name, 'warn', `could not read it: ${identity?.error ?? 'not read'}`, [
        `aws sesv2 get-email-identity --email-identity ${domain}`,
      ]),
    ];
  }
  if ('absent' in identity) {
    return [
      check(name, 'warn', 'not created yet: the first deploy creates it', [
        `after the deploy, add the three CNAME records of the stateful stack's outputs DkimRecord1-3 to the DNS of ${domain}`,
      ]),
      check('Bounce and complaint events', 'info', 'the first deploy creates the configuration set and its destination'),
    ];
  }
  const found = identity.found;
  if (!found.configurationSetName) return [foreignIdentityCheck(name, domain, stage, region)];
  return [
    verificationCheck(name, found),
    dkimCheck(domain, found),
    eventDestinationsCheck(found.configurationSetName, aws.eventDestinations),
  ];
}

/** The stack's identity always names its configuration set; one without was made by hand, and the stack cannot create it again. */
function foreignIdentityCheck(name: string, domain: string, stage: string, region: string): Check {
  return check(
    name,
    'fail',
    `exists in ${region} without a configuration set, so no Pressrun stack made it: the first deploy of Pressrun-${stage}-stateful fails (AlreadyExists)`,
    [
      `if nothing else sends from ${domain} through this identity, delete it; the deploy creates it again, with new DKIM records for the DNS:`,
      `  aws sesv2 delete-email-identity --email-identity ${domain}`,
      'or send from another domain: -c sender=news@<another domain>',
    ],
  );
}

function verificationCheck(name: string, identity: IdentityFacts): Check {
  if (identity.verifiedForSending) return check(name, 'ok', `verified for sending, configuration set ${identity.configurationSetName}`);
  return check(name, 'warn', 'not verified for sending yet: no mail goes out until it is', [
    'SES verifies the domain once it finds the DKIM records below in its DNS',
  ]);
}

function dkimCheck(domain: string, identity: IdentityFacts): Check {
  const status = identity.dkimStatus ?? 'unknown';
  if (status === 'SUCCESS') return check('DKIM', 'ok', `SUCCESS: SES signs mail from ${domain}`);
  const records =
    identity.dkimTokens.length > 0
      ? [`add these CNAME records to the DNS of ${domain}:`, ...dkimRecords(domain, identity.dkimTokens).map((r) => `  ${r}`)]
      : [`add the three CNAME records of the stateful stack's outputs DkimRecord1-3 to the DNS of ${domain} (SES gave no tokens)`];
  const why: Record<string, string> = {
    PENDING: 'PENDING: SES has not found the records yet (it looks for up to 72 hours)',
    FAILED: 'FAILED: SES stopped looking for the records after 72 hours',
    TEMPORARY_FAILURE: 'TEMPORARY_FAILURE: SES could not read the records just now; it keeps trying',
    NOT_STARTED: 'NOT_STARTED: SES has not started looking for the records',
  };
  const retry = status === 'FAILED' ? ['then restart SES\'s check, as the SES Developer Guide\'s "Troubleshooting DKIM" describes'] : [];
  return check('DKIM', 'warn', why[status] ?? `${status}: the records are not in place`, [...records, ...retry]);
}

function eventDestinationsCheck(configurationSet: string, destinations: Reading<EventDestinationFacts[]> | undefined): Check {
  const name = 'Bounce and complaint events';
  if (!destinations || 'error' in destinations) {
    return check(name, 'warn', `could not read the event destinations of ${configurationSet}: ${destinations?.error ?? 'not read'}`, [
      `aws sesv2 get-configuration-set-event-destinations --configuration-set-name ${configurationSet}`,
    ]);
  }
  const recreate = [
    `add a destination that sends both to the stateful stack's SesEvents topic:`,
    `  aws sesv2 create-configuration-set-event-destination --configuration-set-name ${configurationSet} --event-destination-name BouncesAndComplaints \\`,
    `    --event-destination '{"Enabled":true,"MatchingEventTypes":["BOUNCE","COMPLAINT"],"SnsDestination":{"TopicArn":"<SesEvents topic ARN>"}}'`,
  ];
  if ('absent' in destinations) {
    return check(name, 'fail', `configuration set ${configurationSet}, named by the identity, does not exist`, [
      `create it again: aws sesv2 create-configuration-set --configuration-set-name ${configurationSet}`,
      ...recreate,
    ]);
  }
  const serving = destinations.found.filter((d) => d.enabled && d.snsTopicArn);
  const covers = (event: string) => serving.some((d) => d.events.includes(event));
  const missing = ['BOUNCE', 'COMPLAINT'].filter((event) => !covers(event));
  if (missing.length > 0) {
    return check(
      name,
      'fail',
      `configuration set ${configurationSet} sends no ${missing.join(' or ')} events to SNS: Pressrun keeps mailing addresses that bounce or complain`,
      recreate,
    );
  }
  const topics = [...new Set(serving.map((d) => d.snsTopicArn))].join(', ');
  return check(name, 'ok', `configuration set ${configurationSet} sends bounces and complaints to ${topics}`);
}

function accountChecks(account: Reading<AccountFacts>, region: string): Check[] {
  if (!('found' in account)) {
    const why = 'error' in account ? account.error : 'no answer';
    return [check('SES account', 'warn', `could not read the SES account in ${region}: ${why}`, ['aws sesv2 get-account'])];
  }
  return [sendingCheck(account.found, region), quotaCheck(account.found)];
}

function sendingCheck(account: AccountFacts, region: string): Check {
  const dashboard = `https://${region}.console.aws.amazon.com/ses/home?region=${region}#/account`;
  if (!account.sendingEnabled || account.enforcementStatus === 'SHUTDOWN') {
    return check(
      'SES account',
      'fail',
      `sending is paused for this account in ${region} (${account.enforcementStatus ?? 'status unknown'})`,
      [`read why and appeal on the SES account dashboard: ${dashboard}`],
    );
  }
  const probation =
    account.enforcementStatus === 'PROBATION' ? ['the account is under review for its bounce or complaint rate: ' + dashboard] : [];
  if (account.productionAccess) {
    return check('SES account', probation.length > 0 ? 'warn' : 'ok', `production access in ${region}`, probation);
  }
  if (account.reviewStatus === 'PENDING') {
    return check('SES account', 'warn', `in the SES sandbox; production access requested, review pending`, [
      'until AWS grants it, mail reaches only verified addresses',
      ...probation,
    ]);
  }
  return check('SES account', 'warn', `in the SES sandbox in ${region}: mail reaches only verified addresses`, [
    `ask for production access before readers subscribe, on ${dashboard} or with:`,
    `  aws sesv2 put-account-details --region ${region} --production-access-enabled --mail-type MARKETING --website-url <SiteUrl> --use-case-description "<who subscribes and how, how bounces and complaints are handled>"`,
    ...(account.reviewStatus === 'DENIED' ? ['(an earlier request was denied: answer the case in AWS Support)'] : []),
    ...probation,
  ]);
}

function quotaCheck(account: AccountFacts): Check {
  const { max24HourSend, maxSendRate, sentLast24Hours } = account;
  const day = max24HourSend < 0 ? 'unlimited' : `${max24HourSend} mails a day`;
  return check('Send quota', 'info', `${day}, ${maxSendRate} a second; ${sentLast24Hours} sent in the last 24 hours`);
}

function secretsExtensionCheck(extension: SecretsExtensionFacts, region: string): Check {
  const name = 'Secrets extension';
  const fixes = [
    'deploy to a region where the layer is published (AWS_REGION=…),',
    'or make the stack read secrets through the SDK there (cdk/secrets-extension.ts)',
  ];
  if (extension.published && extension.knownToCdk)
    return check(name, 'ok', `the arm64 Parameters and Secrets layer is published in ${region}`);
  if (!extension.published && extension.throughSdkWithout) {
    return check(name, 'info', `no arm64 Parameters and Secrets layer in ${region}: secrets are read through the SDK in this region`);
  }
  if (!extension.published) {
    return check(name, 'fail', `no arm64 Parameters and Secrets layer in ${region}: cdk synth fails here`, fixes);
  }
  return check(name, 'fail', `aws-cdk-lib has no ARN of the arm64 Parameters and Secrets layer in ${region}: cdk synth fails here`, [
    'if AWS publishes the layer there, upgrade aws-cdk-lib; if not, add the region to cdk/secrets-extension.ts',
    ...fixes,
  ]);
}

/** What the operator reads: one line per check with its mark, each fix indented below it, and a verdict. */
export function formatChecks(checks: Check[]): string {
  const marks: Record<CheckStatus, string> = { ok: '[ok]  ', info: '[info]', warn: '[warn]', fail: '[FAIL]' };
  const lines = checks.flatMap((c) => [`${marks[c.status]} ${c.name}: ${c.summary}`, ...c.fix.map((f) => `         ${f}`)]);
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  const failed = count('fail');
  const warned = count('warn');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    '',
    failed > 0 ? `${plural(failed, 'check')} failed, ${plural(warned, 'warning')}.` : `Ready to deploy, ${plural(warned, 'warning')}.`,
  );
  return lines.join('\n');
}

export const doctorExitCode = (checks: Check[]): number => (checks.some((c) => c.status === 'fail') ? 1 : 0);
