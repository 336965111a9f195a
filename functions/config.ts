/**
 * Reads the environment once and fails at start naming every missing or invalid variable.
 * Tunables have documented defaults; what identifies a deployment (site URL, table, bucket)
 * never does, so a forgotten variable cannot hide behind a default.
 */
import type { RateRule } from './core/rate-limit.js';
import { SUBSCRIBE_LIMITS } from './core/rate-limit.js';
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

/** Reads variables and collects every problem, so one start names them all. */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  value(name: string): string | undefined {
    return this.env[name]?.trim() || undefined;
  }

  required(name: string, why = 'is required'): string {
    const value = this.value(name);
    if (!value) this.problems.push(`${name} ${why}`);
    return value ?? '';
  }

  optional(name: string, fallback: string): string {
    return this.value(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.value(name);
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return value;
  }

  /** An absolute http(s) URL, with a trailing slash (a base URL). */
  baseUrl(name: string, value: string): string {
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
      return parsed.toString().replace(/\/?$/, '/');
    } catch {
      this.problems.push(`${name} must be an absolute http(s) URL, got "${value}"`);
      return value;
    }
  }

  /** An RFC 5322 mailbox: an address, or a display name with the address in angle brackets. */
  mailbox(name: string): string | undefined {
    const raw = this.value(name);
    if (raw !== undefined && !/^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.?[^\s<>@]*)$/.test(raw)) {
      this.problems.push(`${name} must be an address like digest@example.com or "Name" <digest@example.com>, got "${raw}"`);
    }
    return raw;
  }

  /** Throws once with every problem collected, or returns what was read. */
  done<T>(value: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return value;
  }
}

function readSite(r: EnvReader): SiteConfig {
  const authorEmail = r.value('PRESSRUN_AUTHOR_EMAIL');
  const site: SiteConfig = {
    baseUrl: r.baseUrl('PRESSRUN_SITE_URL', r.required('PRESSRUN_SITE_URL')),
    title: r.optional('PRESSRUN_SITE_TITLE', 'Pressrun'),
    description: r.optional('PRESSRUN_SITE_DESCRIPTION', 'News from Pressrun'),
    language: r.optional('PRESSRUN_SITE_LANGUAGE', 'en'),
    author: { name: r.optional('PRESSRUN_AUTHOR_NAME', 'The editors'), ...(authorEmail ? { email: authorEmail } : {}) },
    feedItemLimit: r.integer('PRESSRUN_FEED_ITEMS', 50, 1, 1000),
    digestArticleLimit: r.integer('PRESSRUN_DIGEST_MAX_ARTICLES', 20, 1, 100),
    subscribeUrl: r.optional('PRESSRUN_SUBSCRIBE_URL', '/api/subscribe'),
    timeZone: readTimeZone(r),
  };
  // Optional: without a hub, feeds carry no rel="hub" link and publishes ping no one.
  const websubHub = r.value('PRESSRUN_WEBSUB_HUB');
  if (websubHub) {
    // Kept as given (a hub's path is its own), only checked: unlike the site URL, no slash is added.
    if (URL.canParse(websubHub) && ['https:', 'http:'].includes(new URL(websubHub).protocol))
      site.websubHub = new URL(websubHub).toString();
    else r.problems.push(`PRESSRUN_WEBSUB_HUB must be an absolute http(s) URL, got "${websubHub}"`);
  }
  return site;
}

function readAppConfig(r: EnvReader): AppConfig {
  const s3 = r.value('PRESSRUN_S3_ENDPOINT');
  const dynamodb = r.value('PRESSRUN_DYNAMODB_ENDPOINT');
  return {
    site: readSite(r),
    tableName: r.required('PRESSRUN_TABLE'),
    bucketName: r.required('PRESSRUN_BUCKET'),
    region: r.optional('AWS_REGION', 'us-east-1'),
    endpoints: { ...(s3 ? { s3 } : {}), ...(dynamodb ? { dynamodb } : {}) },
  };
}

export function readConfig(env: Env): AppConfig {
  const r = new EnvReader(env);
  return r.done(readAppConfig(r));
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
  const r = new EnvReader(env);
  const config = readAppConfig(r);
  const values = Object.fromEntries(names.map((name) => [name, r.required(name)])) as Record<N, string>;
  const rawPort = r.optional('PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', '2773');
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    r.problems.push(`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be a port number, got "${rawPort}"`);
  return r.done({ config, names: values, secretsExtension: { port, sessionToken: env.AWS_SESSION_TOKEN } });
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
  /** How often one address, and one client, may ask to subscribe in a window (PRESSRUN_SUBSCRIBE_*). */
  subscribeLimits: { perAddress: RateRule; perClient: RateRule };
  /**
   * The sending guardrails (PRESSRUN_SEND_*): a send stops itself once, of the mails it sent
   * since its last resume (at least `minSample` of them), more than these shares hard-bounced
   * or complained (fractions: 0.05 is 5%).
   */
  guardrails: { maxBounceRate: number; maxComplaintRate: number; minSample: number };
  /**
   * Readers of a batch a crash of the send worker may leave flagged for review, at most
   * (PRESSRUN_SEND_AT_RISK; WorkerOptions.atRisk): fewer means more ledger writes a batch.
   */
  atRisk: number;
  /**
   * The readers who chose their cadence (PRESSRUN_TIME_ZONE, PRESSRUN_EACH_ARTICLE_HOLD_MINUTES):
   * the time zone their daily and weekly hours are in, and how long a per-article email waits
   * after its article is placed, so an edit updates it and an unpublish cancels it.
   */
  rounds: { timeZone: string; holdMinutes: number };
  /** The SQS queue of send batches (unset locally, where an in-process queue stands in). */
  sendQueueUrl?: string;
}

/** Daily at 07:00 UTC. */
export const DEFAULT_DIGEST_SCHEDULE = 'cron(0 7 * * ? *)';

const bareMailbox = (mailbox: string) => (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();

function readMailSettings(r: EnvReader, site: Pick<SiteConfig, 'title' | 'baseUrl'>): MailSettings {
  const from = r.mailbox('PRESSRUN_MAIL_FROM');
  if (!from) r.problems.push('PRESSRUN_MAIL_FROM is required (a sender on a domain with SPF, DKIM and DMARC)');
  const replyTo = r.mailbox('PRESSRUN_MAIL_REPLY_TO');
  const mailto = r.mailbox('PRESSRUN_MAIL_UNSUBSCRIBE_MAILTO');
  const listId = r.value('PRESSRUN_MAIL_LIST_ID') ?? defaultListId(site);
  if (!/<[A-Za-z0-9.-]+\.[A-Za-z0-9-]+>$/.test(listId))
    r.problems.push(`PRESSRUN_MAIL_LIST_ID must end in <label.domain>, got "${listId}"`);
  return { from: from ?? '', ...(replyTo ? { replyTo } : {}), unsubscribeMailto: bareMailbox(mailto ?? from ?? ''), listId };
}

function readSmtp(r: EnvReader): DeliveryConfig['transport'] {
  const rawPort = r.value('PRESSRUN_SMTP_PORT');
  const port = Number(rawPort);
  if (!rawPort || !Number.isInteger(port) || port < 1 || port > 65_535)
    r.problems.push(`PRESSRUN_SMTP_PORT must be a port number with PRESSRUN_MAIL_TRANSPORT=smtp, got "${rawPort ?? ''}"`);
  const tls = r.optional('PRESSRUN_SMTP_TLS', 'starttls');
  if (tls !== 'implicit' && tls !== 'starttls' && tls !== 'none')
    r.problems.push(`PRESSRUN_SMTP_TLS must be implicit, starttls or none, got "${tls}"`);
  const user = r.value('PRESSRUN_SMTP_USER');
  const pass = r.value('PRESSRUN_SMTP_PASSWORD');
  if ((user === undefined) !== (pass === undefined)) r.problems.push('PRESSRUN_SMTP_USER and PRESSRUN_SMTP_PASSWORD go together');
  return {
    kind: 'smtp',
    host: r.optional('PRESSRUN_SMTP_HOST', '127.0.0.1'),
    port,
    tls: tls as 'implicit' | 'starttls' | 'none',
    ...(user && pass ? { auth: { user, pass } } : {}),
  };
}

function readTransport(r: EnvReader): DeliveryConfig['transport'] {
  const kind = r.optional('PRESSRUN_MAIL_TRANSPORT', 'ses');
  if (kind === 'smtp') return readSmtp(r);
  if (kind !== 'ses') r.problems.push(`PRESSRUN_MAIL_TRANSPORT must be ses or smtp, got "${kind}"`);
  const configurationSet = r.value('PRESSRUN_SES_CONFIGURATION_SET');
  if (kind === 'ses' && !configurationSet)
    r.problems.push(
      'PRESSRUN_SES_CONFIGURATION_SET is required with PRESSRUN_MAIL_TRANSPORT=ses (bounces and complaints come back through it)',
    );
  return { kind: 'ses', configurationSet: configurationSet ?? '' };
}

function readTokenSecret(r: EnvReader, env: Env): DeliveryConfig['tokenSecret'] {
  // Not trimmed: a secret is taken exactly as given.
  const secretValue = env.PRESSRUN_TOKEN_SECRET;
  const secretId = r.value('PRESSRUN_TOKEN_SECRET_ID');
  if (secretValue !== undefined && secretValue !== '') {
    if (secretValue.length < MIN_SECRET_LENGTH)
      r.problems.push(`PRESSRUN_TOKEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 48)`);
    return { value: secretValue };
  }
  if (secretId) return { secretId };
  r.problems.push(
    'PRESSRUN_TOKEN_SECRET (or PRESSRUN_TOKEN_SECRET_ID, a Secrets Manager secret holding it) is required to sign subscription links',
  );
  return { value: '' };
}

function readCadence(r: EnvReader): DeliveryConfig['cadence'] {
  const raw = r.optional('PRESSRUN_DIGEST_CADENCE', DEFAULT_DIGEST_SCHEDULE);
  if (raw === 'publish') return { kind: 'publish' };
  if (!/^cron\((?:\S+ ){5}\S+\)$/.test(raw) && !/^rate\(\d+ (?:minutes?|hours?|days?)\)$/.test(raw)) {
    r.problems.push(
      `PRESSRUN_DIGEST_CADENCE must be "publish" or an EventBridge schedule such as ${DEFAULT_DIGEST_SCHEDULE}, got "${raw}"`,
    );
  }
  return { kind: 'schedule', expression: raw };
}

function readSubscribeLimits(r: EnvReader): DeliveryConfig['subscribeLimits'] {
  const windowSeconds = r.integer('PRESSRUN_SUBSCRIBE_WINDOW_SECONDS', SUBSCRIBE_LIMITS.perAddress.windowSeconds, 1, 86_400);
  return {
    perAddress: { limit: r.integer('PRESSRUN_SUBSCRIBE_PER_ADDRESS', SUBSCRIBE_LIMITS.perAddress.limit, 1, 10_000), windowSeconds },
    perClient: { limit: r.integer('PRESSRUN_SUBSCRIBE_PER_CLIENT', SUBSCRIBE_LIMITS.perClient.limit, 1, 100_000), windowSeconds },
  };
}

/** A share in percent, "5" or "5%", more than 0 and at most 100; as a fraction. */
function readPercent(r: EnvReader, name: string, fallback: number): number {
  const raw = r.value(name);
  if (!raw) return fallback;
  const value = Number(raw.replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(raw) || !(value > 0 && value <= 100)) {
    r.problems.push(`${name} must be a percentage above 0 and at most 100 (such as 5 or 0.1%), got "${raw}"`);
    return fallback;
  }
  return value / 100;
}

/**
 * The time zone's name, checked for its shape only: asking Intl whether it knows the zone loads
 * its time zone data, which costs every function's cold start (the API's by a tenth). The
 * functions that plan sends ask it (checkTimeZone) before they use the zone.
 */
function readTimeZone(r: EnvReader): string {
  const timeZone = r.optional('PRESSRUN_TIME_ZONE', 'UTC');
  if (/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return timeZone;
  r.problems.push(`PRESSRUN_TIME_ZONE must be an IANA time zone such as Europe/Paris, got "${timeZone}"`);
  return 'UTC';
}

/** Throws a ConfigError naming PRESSRUN_TIME_ZONE unless Intl knows the zone. */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    throw new ConfigError([`PRESSRUN_TIME_ZONE must be an IANA time zone such as Europe/Paris, got "${timeZone}"`]);
  }
}

function readRounds(r: EnvReader): DeliveryConfig['rounds'] {
  return { timeZone: readTimeZone(r), holdMinutes: r.integer('PRESSRUN_EACH_ARTICLE_HOLD_MINUTES', 10, 0, 1440) };
}

/** The rounds' settings alone, for a function that plans sends but mails nothing (the publish function). */
export function readRoundsConfig(env: Env): DeliveryConfig['rounds'] {
  const r = new EnvReader(env);
  return r.done(readRounds(r));
}

function readGuardrails(r: EnvReader): DeliveryConfig['guardrails'] {
  return {
    maxBounceRate: readPercent(r, 'PRESSRUN_SEND_MAX_BOUNCE_RATE', 0.05),
    maxComplaintRate: readPercent(r, 'PRESSRUN_SEND_MAX_COMPLAINT_RATE', 0.001),
    minSample: r.integer('PRESSRUN_SEND_RATE_MIN_SAMPLE', 200, 1, 1_000_000),
  };
}

/**
 * Reads the delivery settings, separately from readConfig so that only the functions that
 * mail (the API, the send worker, the scheduled send) need them. Fails naming every problem.
 */
export function readDeliveryConfig(env: Env, site: Pick<SiteConfig, 'title' | 'baseUrl'>): DeliveryConfig {
  const r = new EnvReader(env);
  const sendQueueUrl = r.value('PRESSRUN_SEND_QUEUE_URL');
  return r.done({
    mail: readMailSettings(r, site),
    transport: readTransport(r),
    tokenSecret: readTokenSecret(r, env),
    cadence: readCadence(r),
    subscribeLimits: readSubscribeLimits(r),
    guardrails: readGuardrails(r),
    // The send worker's own default (DEFAULT_WORKER_OPTIONS.atRisk), written out: config stays free of the worker's code.
    atRisk: r.integer('PRESSRUN_SEND_AT_RISK', 30, 1, 1_000),
    rounds: readRounds(r),
    ...(sendQueueUrl ? { sendQueueUrl } : {}),
  });
}
