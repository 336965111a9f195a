/**
 * Typed per-stage values. app.ts picks a stage from context and may override any field
 * from context too; everything here is checked once, with messages that say what to pass.
 * Constructs never read context or the environment: they get a StageConfig.
 */

export interface StageConfig {
  /** Short lower-case name, part of every stack name: "dev", "prod". */
  stage: string;
  site: {
    title: string;
    description: string;
    /** BCP 47 tag. */
    language: string;
    /**
     * A custom domain for the site. Without one the site lives on the distribution's
     * *.cloudfront.net name, which changes if the distribution is ever replaced.
     */
    domain?: { name: string; certificateArn: string };
  };
  email: {
    /** The From address of digests and confirmation mails. Its domain becomes the SES identity. */
    sender: string;
  };
  /**
   * When digests go out: with every publish that has new articles, or on a schedule
   * (EventBridge Scheduler, cron in the given time zone).
   */
  digest: { cadence: 'publish' } | { cadence: 'schedule'; cron: string; timeZone: string };
  /** Days CloudWatch keeps function and API logs, and S3 keeps access logs. */
  logRetentionDays: LogRetentionDays;
  /** Receives alarm notifications (confirm the SNS subscription mail once). */
  alarmEmail?: string;
  /** Stage-wide request rate of the HTTP API, the guard in front of the public routes. */
  apiThrottle: { ratePerSecond: number; burst: number };
  /** Keep data (table, buckets, secrets, queues) when a stack is deleted. */
  retainData: boolean;
  /**
   * The version of the origin secret CloudFront sends the API, after a rotation: naming it
   * changes the template, so the deploy updates the distribution with the new value.
   * @default the current version, as resolved when the distribution was last updated
   */
  originSecretVersion?: string;
}

/** The retention periods CloudWatch Logs accepts (a subset: the ones worth choosing). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

const base = {
  site: { title: 'Pressrun', description: 'News from Pressrun', language: 'en' },
  digest: { cadence: 'schedule', cron: 'cron(0 7 * * ? *)', timeZone: 'UTC' },
  apiThrottle: { ratePerSecond: 20, burst: 40 },
} as const;

/** What a stage's preset gives; the sender is the operator's own domain, so no preset has one (-c sender). */
type StagePreset = Omit<StageConfig, 'stage' | 'email'>;

export const STAGES: Record<string, StagePreset> = {
  dev: { ...base, logRetentionDays: 14, retainData: false },
  prod: { ...base, logRetentionDays: 90, retainData: true, apiThrottle: { ratePerSecond: 50, burst: 100 } },
};

/** Values that may come from `cdk -c key=value`; all strings, as context delivers them. */
export interface StageOverrides {
  siteTitle?: string;
  siteDescription?: string;
  siteLanguage?: string;
  domainName?: string;
  certificateArn?: string;
  sender?: string;
  digestCadence?: string;
  digestCron?: string;
  digestTimeZone?: string;
  logRetentionDays?: string;
  alarmEmail?: string;
  apiRatePerSecond?: string;
  apiBurst?: string;
  originSecretVersion?: string;
}

/** Every key of StageOverrides, the `-c` settings besides `stage`: a key added there does not compile until listed here. */
const OVERRIDE_KEYS: Record<keyof StageOverrides, true> = {
  siteTitle: true,
  siteDescription: true,
  siteLanguage: true,
  domainName: true,
  certificateArn: true,
  sender: true,
  digestCadence: true,
  digestCron: true,
  digestTimeZone: true,
  logRetentionDays: true,
  alarmEmail: true,
  apiRatePerSecond: true,
  apiBurst: true,
  originSecretVersion: true,
};
export const STAGE_OVERRIDE_KEYS = Object.keys(OVERRIDE_KEYS) as ReadonlyArray<keyof StageOverrides>;

/**
 * The stage named by context (`-c stage=…`, default dev) with every other setting of context
 * applied: how `cdk synth` (app.ts) and `pressrun doctor` read the same flags.
 */
export function stageConfigFromContext(tryGetContext: (key: string) => unknown): StageConfig {
  const context = (key: string): string | undefined => {
    const value = tryGetContext(key);
    return value === undefined || value === null ? undefined : String(value);
  };
  const overrides: StageOverrides = Object.fromEntries(
    STAGE_OVERRIDE_KEYS.flatMap((key) => (context(key) === undefined ? [] : [[key, context(key)]])),
  );
  return stageConfig(context('stage') ?? 'dev', overrides);
}

export class StageConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid deployment settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StageConfigError';
  }
}

const emailPattern = /^[^\s@<>"]+@([a-z0-9-]+\.)+[a-z]{2,}$/i;
const domainPattern = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;
const certificatePattern = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/;
const cronPattern = /^cron\((\S+\s+){5}\S+\)$/;

/** The settings of one stage with context overrides applied; throws naming every problem and how to fix it. */
export function stageConfig(stage: string, overrides: StageOverrides = {}): StageConfig {
  const settings: Settings = { preset: presetOf(stage), overrides, problems: [] };
  // Read in this order: it is the order the problems are listed in.
  const sender = readSender(settings);
  const domain = readDomain(settings);
  const digest = readDigest(settings);
  const logRetentionDays = readLogRetentionDays(settings);
  const alarmEmail = readAlarmEmail(settings);
  const apiThrottle = readApiThrottle(settings);
  const originSecretVersion = readOriginSecretVersion(settings);
  if (settings.problems.length > 0) throw new StageConfigError(settings.problems);
  return {
    stage,
    site: readSite(settings, domain),
    email: { sender },
    digest,
    logRetentionDays,
    ...(alarmEmail ? { alarmEmail } : {}),
    apiThrottle,
    retainData: settings.preset.retainData,
    ...(originSecretVersion ? { originSecretVersion } : {}),
  };
}

/** What every reader gets: the stage's preset, the overrides, and the list each problem is added to. */
interface Settings {
  preset: StagePreset;
  overrides: StageOverrides;
  problems: string[];
}

function presetOf(stage: string): StagePreset {
  const preset = STAGES[stage];
  if (!preset) {
    throw new StageConfigError([
      `unknown stage "${stage}": pass -c stage=<${Object.keys(STAGES).join('|')}> or add it to STAGES in cdk/config.ts`,
    ]);
  }
  return preset;
}

function readSite({ preset, overrides }: Settings, domain: StageConfig['site']['domain']): StageConfig['site'] {
  return {
    title: overrides.siteTitle ?? preset.site.title,
    description: overrides.siteDescription ?? preset.site.description,
    language: overrides.siteLanguage ?? preset.site.language,
    ...(domain ? { domain } : {}),
  };
}

/** Required: a placeholder would become an SES identity nobody can verify, and the deploy would send nothing. */
function readSender({ overrides, problems }: Settings): string {
  const sender = overrides.sender;
  if (sender === undefined) {
    problems.push(
      '-c sender is required: the From address of every mail, e.g. -c sender=news@yourdomain.example; its domain becomes the SES identity you verify with DNS records',
    );
    return '';
  }
  if (!emailPattern.test(sender)) problems.push(`-c sender must be an email address on a domain you control, got "${sender}"`);
  return sender;
}

/** A domain from context needs both its name and its certificate; a missing one is reported as malformed. */
function readDomain({ preset, overrides, problems }: Settings): StageConfig['site']['domain'] {
  if (overrides.domainName === undefined && overrides.certificateArn === undefined) return preset.site.domain;
  const name = overrides.domainName ?? '';
  const certificateArn = overrides.certificateArn ?? '';
  if (!domainPattern.test(name)) problems.push(`-c domainName must be a host name such as news.example.com, got "${name}"`);
  if (!certificatePattern.test(certificateArn)) {
    problems.push(
      '-c certificateArn must be the ARN of an ACM certificate in us-east-1 (CloudFront reads certificates only there) covering -c domainName',
    );
  }
  return { name, certificateArn };
}

function readDigest(settings: Settings): StageConfig['digest'] {
  const { preset, overrides, problems } = settings;
  const cadence = overrides.digestCadence ?? preset.digest.cadence;
  if (cadence === 'publish') return { cadence: 'publish' };
  if (cadence === 'schedule') return readDigestSchedule(settings);
  problems.push(`-c digestCadence must be "publish" or "schedule", got "${cadence}"`);
  return preset.digest;
}

/** A stage whose preset sends on publish still gets the base schedule when context asks for one. */
function readDigestSchedule({ preset, overrides, problems }: Settings): StageConfig['digest'] {
  const scheduled = preset.digest.cadence === 'schedule' ? preset.digest : base.digest;
  const cron = overrides.digestCron ?? scheduled.cron;
  const timeZone = overrides.digestTimeZone ?? scheduled.timeZone;
  if (!cronPattern.test(cron))
    problems.push(`-c digestCron must be an EventBridge cron expression with six fields, e.g. "cron(0 7 * * ? *)", got "${cron}"`);
  if (!isTimeZone(timeZone)) problems.push(`-c digestTimeZone must be an IANA time zone such as Europe/Berlin, got "${timeZone}"`);
  return { cadence: 'schedule', cron, timeZone };
}

function readLogRetentionDays(settings: Settings): LogRetentionDays {
  const { preset, overrides, problems } = settings;
  const retention = readWholeNumber(settings, 'logRetentionDays', preset.logRetentionDays, 1, 3653);
  if (overrides.logRetentionDays !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    problems.push(`-c logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}, got "${overrides.logRetentionDays}"`);
  }
  return retention as LogRetentionDays;
}

function readAlarmEmail({ preset, overrides, problems }: Settings): string | undefined {
  const alarmEmail = overrides.alarmEmail ?? preset.alarmEmail;
  if (alarmEmail !== undefined && !emailPattern.test(alarmEmail))
    problems.push(`-c alarmEmail must be an email address, got "${alarmEmail}"`);
  return alarmEmail;
}

/** Secrets Manager's VersionIds are UUIDs (32 to 64 characters); a staging label such as AWSCURRENT would not change the template. */
function readOriginSecretVersion({ overrides, problems }: Settings): string | undefined {
  const version = overrides.originSecretVersion;
  if (version !== undefined && !/^[A-Za-z0-9-]{32,64}$/.test(version))
    problems.push(
      `-c originSecretVersion must be the VersionId of the origin secret's new version (aws secretsmanager describe-secret), got "${version}"`,
    );
  return version;
}

function readApiThrottle(settings: Settings): StageConfig['apiThrottle'] {
  const { apiThrottle } = settings.preset;
  return {
    ratePerSecond: readWholeNumber(settings, 'apiRatePerSecond', apiThrottle.ratePerSecond, 1, 10_000),
    burst: readWholeNumber(settings, 'apiBurst', apiThrottle.burst, 1, 5_000),
  };
}

/** The override as a number, or the fallback without one; a value out of range is reported and returned as it is. */
function readWholeNumber(
  { overrides, problems }: Settings,
  name: keyof StageOverrides,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = overrides[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    problems.push(`-c ${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The domain part of an email address, used as the SES identity. */
export const senderDomain = (config: StageConfig): string => config.email.sender.split('@')[1]!.toLowerCase();
