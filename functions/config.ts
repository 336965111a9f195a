/**
 * Reads the environment once and fails at start naming every missing or invalid variable.
 * Tunables have documented defaults; what identifies a deployment (site URL, table, bucket)
 * never does, so a forgotten variable cannot hide behind a default.
 */
import type { SiteConfig } from './core/site.js';
import { defaultListId, type MailSettings } from './core/mail/mail-settings.js';
import { MIN_SECRET_LENGTH } from './core/subscribers/tokens.js';

export interface AppConfig {
  site: SiteConfig;
  tableName: string;
  bucketName: string;
  region: string;
  /** Only set locally or in tests: endpoints of s3rver and dynalite. */
  endpoints: { s3?: string; dynamodb?: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function readConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const optional = (name: string, fallback: string): string => env[name]?.trim() || fallback;
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  const url = (name: string, value: string): string => {
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
      return parsed.toString().replace(/\/?$/, '/');
    } catch {
      problems.push(`${name} must be an absolute http(s) URL, got "${value}"`);
      return value;
    }
  };

  const baseUrl = url('PRESSRUN_SITE_URL', required('PRESSRUN_SITE_URL'));
  const authorEmail = env.PRESSRUN_AUTHOR_EMAIL?.trim();
  const site: SiteConfig = {
    baseUrl,
    title: optional('PRESSRUN_SITE_TITLE', 'Pressrun'),
    description: optional('PRESSRUN_SITE_DESCRIPTION', 'News from Pressrun'),
    language: optional('PRESSRUN_SITE_LANGUAGE', 'en'),
    author: { name: optional('PRESSRUN_AUTHOR_NAME', 'The editors'), ...(authorEmail ? { email: authorEmail } : {}) },
    feedItemLimit: integer('PRESSRUN_FEED_ITEMS', 50, 1, 1000),
    digestArticleLimit: integer('PRESSRUN_DIGEST_MAX_ARTICLES', 20, 1, 100),
    subscribeUrl: optional('PRESSRUN_SUBSCRIBE_URL', '/api/subscribe'),
  };
  // Optional: without a hub, feeds carry no rel="hub" link and publishes ping no one.
  const websubHub = env.PRESSRUN_WEBSUB_HUB?.trim();
  if (websubHub) {
    // Kept as given (a hub's path is its own), only checked: unlike the site URL, no slash is added.
    if (URL.canParse(websubHub) && ['https:', 'http:'].includes(new URL(websubHub).protocol))
      site.websubHub = new URL(websubHub).toString();
    else problems.push(`PRESSRUN_WEBSUB_HUB must be an absolute http(s) URL, got "${websubHub}"`);
  }
  const config: AppConfig = {
    site,
    tableName: required('PRESSRUN_TABLE'),
    bucketName: required('PRESSRUN_BUCKET'),
    region: optional('AWS_REGION', 'us-east-1'),
    endpoints: {
      ...(env.PRESSRUN_S3_ENDPOINT ? { s3: env.PRESSRUN_S3_ENDPOINT } : {}),
      ...(env.PRESSRUN_DYNAMODB_ENDPOINT ? { dynamodb: env.PRESSRUN_DYNAMODB_ENDPOINT } : {}),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** A Lambda function's configuration: the common part plus the names of what that function calls. */
export interface LambdaConfig<N extends string> {
  config: AppConfig;
  /** Names and ARNs of cloud resources and of secrets (never secret values), by variable name. */
  names: Record<N, string>;
  /** The Parameters and Secrets Lambda extension on localhost; requests carry the function's session token. */
  secretsExtension: { port: number; sessionToken: string | undefined };
}

/**
 * Reads the common configuration and the variables a Lambda function names, failing once
 * with every problem of both. Secrets are passed as Secrets Manager ids and fetched at run
 * time, so no secret value is ever in the environment or the deployment template.
 */
export function readLambdaConfig<const N extends string>(env: Env, names: readonly N[]): LambdaConfig<N> {
  const problems: string[] = [];
  let config: AppConfig | undefined;
  try {
    config = readConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const values = {} as Record<N, string>;
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) values[name] = value;
    else problems.push(`${name} is required`);
  }
  const rawPort = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT?.trim() || '2773';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    problems.push(`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be a port number, got "${rawPort}"`);
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return { config, names: values, secretsExtension: { port, sessionToken: env.AWS_SESSION_TOKEN } };
}

/** How subscribers are mailed: who sends, through what, how links are signed, and when digests go out. */
export interface DeliveryConfig {
  mail: MailSettings;
  transport:
    | { kind: 'ses'; configurationSet: string }
    | { kind: 'smtp'; host: string; port: number; tls: 'implicit' | 'starttls' | 'none'; auth?: { user: string; pass: string } };
  /** The key that signs confirm and unsubscribe links: its value, or the id of a Secrets Manager secret holding it. */
  tokenSecret: { value: string } | { secretId: string };
  /** publish: every publish that makes a digest sends it; schedule: an EventBridge expression sends the newest unsent digest. */
  cadence: { kind: 'publish' } | { kind: 'schedule'; expression: string };
  /** The SQS queue of send batches (unset locally, where an in-process queue stands in). */
  sendQueueUrl?: string;
}

/** Daily at 07:00 UTC. */
export const DEFAULT_DIGEST_SCHEDULE = 'cron(0 7 * * ? *)';

/**
 * Reads the delivery settings, separately from readConfig so that only the functions that
 * mail (the API, the send worker, the scheduled send) need them. Fails naming every problem.
 */
export function readDeliveryConfig(env: Env, site: Pick<SiteConfig, 'title' | 'baseUrl'>): DeliveryConfig {
  const problems: string[] = [];
  const value = (name: string) => env[name]?.trim() || undefined;
  const mailbox = (name: string, raw: string | undefined): string | undefined => {
    if (raw !== undefined && !/^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.?[^\s<>@]*)$/.test(raw)) {
      problems.push(`${name} must be an address like digest@example.com or "Name" <digest@example.com>, got "${raw}"`);
    }
    return raw;
  };

  const from = mailbox('PRESSRUN_MAIL_FROM', value('PRESSRUN_MAIL_FROM'));
  if (!from) problems.push('PRESSRUN_MAIL_FROM is required (a sender on a domain with SPF, DKIM and DMARC)');
  const replyTo = mailbox('PRESSRUN_MAIL_REPLY_TO', value('PRESSRUN_MAIL_REPLY_TO'));
  const mailto = mailbox('PRESSRUN_MAIL_UNSUBSCRIBE_MAILTO', value('PRESSRUN_MAIL_UNSUBSCRIBE_MAILTO'));
  const listId = value('PRESSRUN_MAIL_LIST_ID') ?? defaultListId(site);
  if (!/<[A-Za-z0-9.-]+\.[A-Za-z0-9-]+>$/.test(listId)) problems.push(`PRESSRUN_MAIL_LIST_ID must end in <label.domain>, got "${listId}"`);

  let transport: DeliveryConfig['transport'] = { kind: 'ses', configurationSet: '' };
  const kind = value('PRESSRUN_MAIL_TRANSPORT') ?? 'ses';
  if (kind === 'ses') {
    const configurationSet = value('PRESSRUN_SES_CONFIGURATION_SET');
    if (!configurationSet)
      problems.push(
        'PRESSRUN_SES_CONFIGURATION_SET is required with PRESSRUN_MAIL_TRANSPORT=ses (bounces and complaints come back through it)',
      );
    transport = { kind: 'ses', configurationSet: configurationSet ?? '' };
  } else if (kind === 'smtp') {
    const rawPort = value('PRESSRUN_SMTP_PORT');
    const port = Number(rawPort);
    if (!rawPort || !Number.isInteger(port) || port < 1 || port > 65_535)
      problems.push(`PRESSRUN_SMTP_PORT must be a port number with PRESSRUN_MAIL_TRANSPORT=smtp, got "${rawPort ?? ''}"`);
    const tls = value('PRESSRUN_SMTP_TLS') ?? 'starttls';
    if (tls !== 'implicit' && tls !== 'starttls' && tls !== 'none')
      problems.push(`PRESSRUN_SMTP_TLS must be implicit, starttls or none, got "${tls}"`);
    const user = value('PRESSRUN_SMTP_USER');
    const pass = value('PRESSRUN_SMTP_PASSWORD');
    if ((user === undefined) !== (pass === undefined)) problems.push('PRESSRUN_SMTP_USER and PRESSRUN_SMTP_PASSWORD go together');
    transport = {
      kind: 'smtp',
      host: value('PRESSRUN_SMTP_HOST') ?? '127.0.0.1',
      port,
      tls: tls as 'implicit' | 'starttls' | 'none',
      ...(user && pass ? { auth: { user, pass } } : {}),
    };
  } else {
    problems.push(`PRESSRUN_MAIL_TRANSPORT must be ses or smtp, got "${kind}"`);
  }

  const secretValue = env.PRESSRUN_TOKEN_SECRET;
  const secretId = value('PRESSRUN_TOKEN_SECRET_ID');
  let tokenSecret: DeliveryConfig['tokenSecret'] = { value: '' };
  if (secretValue !== undefined && secretValue !== '') {
    if (secretValue.length < MIN_SECRET_LENGTH)
      problems.push(`PRESSRUN_TOKEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 48)`);
    tokenSecret = { value: secretValue };
  } else if (secretId) {
    tokenSecret = { secretId };
  } else {
    problems.push(
      'PRESSRUN_TOKEN_SECRET (or PRESSRUN_TOKEN_SECRET_ID, a Secrets Manager secret holding it) is required to sign subscription links',
    );
  }

  const rawCadence = value('PRESSRUN_DIGEST_CADENCE') ?? DEFAULT_DIGEST_SCHEDULE;
  let cadence: DeliveryConfig['cadence'] = { kind: 'publish' };
  if (rawCadence !== 'publish') {
    if (!/^cron\((?:\S+ ){5}\S+\)$/.test(rawCadence) && !/^rate\(\d+ (?:minutes?|hours?|days?)\)$/.test(rawCadence)) {
      problems.push(
        `PRESSRUN_DIGEST_CADENCE must be "publish" or an EventBridge schedule such as ${DEFAULT_DIGEST_SCHEDULE}, got "${rawCadence}"`,
      );
    }
    cadence = { kind: 'schedule', expression: rawCadence };
  }

  const sendQueueUrl = value('PRESSRUN_SEND_QUEUE_URL');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mail: { from: from!, ...(replyTo ? { replyTo } : {}), unsubscribeMailto: bareMailbox(mailto ?? from!), listId },
    transport,
    tokenSecret,
    cadence,
    ...(sendQueueUrl ? { sendQueueUrl } : {}),
  };
}

const bareMailbox = (mailbox: string) => (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();
