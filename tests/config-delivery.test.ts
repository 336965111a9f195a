import { describe, expect, it } from 'vitest';
import { checkTimeZone, ConfigError, DEFAULT_DIGEST_SCHEDULE, readDeliveryConfig } from '../functions/config.js';
import { DEFAULT_WORKER_OPTIONS } from '../functions/core/delivery/send-batch.js';

const site = { title: 'Example News', baseUrl: 'https://news.example.com/' };
const SECRET = 'a-secret-of-forty-characters-0123456789ab';
const env = (overrides: Record<string, string | undefined> = {}) => ({
  PRESSRUN_MAIL_FROM: '"Example News" <digest@news.example.com>',
  PRESSRUN_SES_CONFIGURATION_SET: 'pressrun-events',
  PRESSRUN_TOKEN_SECRET: SECRET,
  ...overrides,
});

function problemsOf(overrides: Record<string, string | undefined>): string[] {
  try {
    readDeliveryConfig(env(overrides), site);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe('readDeliveryConfig', () => {
  it('reads a cloud environment with documented defaults: SES, a daily schedule, List-Id and mailto from the site and sender', () => {
    expect(readDeliveryConfig(env({ PRESSRUN_SEND_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/pressrun-send' }), site)).toEqual({
      mail: {
        from: '"Example News" <digest@news.example.com>',
        unsubscribeMailto: 'digest@news.example.com',
        listId: '"Example News" <digest.news.example.com>',
      },
      transport: { kind: 'ses', configurationSet: 'pressrun-events' },
      tokenSecret: { value: SECRET },
      cadence: { kind: 'schedule', expression: DEFAULT_DIGEST_SCHEDULE },
      subscribeLimits: { perAddress: { limit: 3, windowSeconds: 3600 }, perClient: { limit: 20, windowSeconds: 3600 } },
      guardrails: { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSample: 200 },
      atRisk: DEFAULT_WORKER_OPTIONS.atRisk,
      rounds: { timeZone: 'UTC', holdMinutes: 10 },
      sendQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/pressrun-send',
    });
  });

  it('takes the sending guardrails from the environment, in percent, and refuses what is not a share', () => {
    const { guardrails } = readDeliveryConfig(
      env({ PRESSRUN_SEND_MAX_BOUNCE_RATE: '2.5%', PRESSRUN_SEND_MAX_COMPLAINT_RATE: '0.05', PRESSRUN_SEND_RATE_MIN_SAMPLE: '500' }),
      site,
    );
    expect(guardrails).toEqual({ maxBounceRate: 0.025, maxComplaintRate: 0.0005, minSample: 500 });
    for (const bad of ['0', '101', 'five', '-1'])
      expect(() => readDeliveryConfig(env({ PRESSRUN_SEND_MAX_BOUNCE_RATE: bad }), site)).toThrow(/PRESSRUN_SEND_MAX_BOUNCE_RATE/);
    expect(() => readDeliveryConfig(env({ PRESSRUN_SEND_RATE_MIN_SAMPLE: '0' }), site)).toThrow(/PRESSRUN_SEND_RATE_MIN_SAMPLE/);
  });

  it('takes how many readers a crash may leave flagged per batch from the environment, a whole number from 1', () => {
    expect(readDeliveryConfig(env({ PRESSRUN_SEND_AT_RISK: '10' }), site).atRisk).toBe(10);
    for (const bad of ['0', '2.5', 'ten'])
      expect(() => readDeliveryConfig(env({ PRESSRUN_SEND_AT_RISK: bad }), site)).toThrow(/PRESSRUN_SEND_AT_RISK/);
  });

  it('takes subscribe limits from the environment, and refuses ones that are not whole numbers', () => {
    const limits = readDeliveryConfig(
      env({ PRESSRUN_SUBSCRIBE_PER_ADDRESS: '10', PRESSRUN_SUBSCRIBE_PER_CLIENT: '100', PRESSRUN_SUBSCRIBE_WINDOW_SECONDS: '60' }),
      site,
    ).subscribeLimits;
    expect(limits).toEqual({ perAddress: { limit: 10, windowSeconds: 60 }, perClient: { limit: 100, windowSeconds: 60 } });
    expect(() => readDeliveryConfig(env({ PRESSRUN_SUBSCRIBE_PER_ADDRESS: 'lots' }), site)).toThrow(/PRESSRUN_SUBSCRIBE_PER_ADDRESS/);
  });

  it('reads SMTP settings and the publish cadence', () => {
    const config = readDeliveryConfig(
      env({
        PRESSRUN_MAIL_TRANSPORT: 'smtp',
        PRESSRUN_SMTP_HOST: 'mail.example.com',
        PRESSRUN_SMTP_PORT: '465',
        PRESSRUN_SMTP_TLS: 'implicit',
        PRESSRUN_SMTP_USER: 'u',
        PRESSRUN_SMTP_PASSWORD: 'p',
        PRESSRUN_DIGEST_CADENCE: 'publish',
        PRESSRUN_SES_CONFIGURATION_SET: undefined,
      }),
      site,
    );
    expect(config.transport).toEqual({
      kind: 'smtp',
      host: 'mail.example.com',
      port: 465,
      tls: 'implicit',
      auth: { user: 'u', pass: 'p' },
    });
    expect(config.cadence).toEqual({ kind: 'publish' });
  });

  it('takes the signing key as a Secrets Manager id instead of a value', () => {
    expect(
      readDeliveryConfig(env({ PRESSRUN_TOKEN_SECRET: undefined, PRESSRUN_TOKEN_SECRET_ID: 'pressrun/token' }), site).tokenSecret,
    ).toEqual({ secretId: 'pressrun/token' });
  });

  it('names every missing or invalid variable at once', () => {
    const problems = problemsOf({
      PRESSRUN_MAIL_FROM: undefined,
      PRESSRUN_SES_CONFIGURATION_SET: undefined,
      PRESSRUN_TOKEN_SECRET: undefined,
      PRESSRUN_DIGEST_CADENCE: 'hourly',
    });
    for (const name of ['PRESSRUN_MAIL_FROM', 'PRESSRUN_SES_CONFIGURATION_SET', 'PRESSRUN_TOKEN_SECRET', 'PRESSRUN_DIGEST_CADENCE']) {
      expect(problems.some((p) => p.includes(name))).toBe(true);
    }
  });

  it.each([
    ['a short token secret', { PRESSRUN_TOKEN_SECRET: 'short' }, 'PRESSRUN_TOKEN_SECRET'],
    ['a sender without an address', { PRESSRUN_MAIL_FROM: 'Example News' }, 'PRESSRUN_MAIL_FROM'],
    ['an unknown transport', { PRESSRUN_MAIL_TRANSPORT: 'carrier-pigeon' }, 'PRESSRUN_MAIL_TRANSPORT'],
    ['SMTP without a port', { PRESSRUN_MAIL_TRANSPORT: 'smtp' }, 'PRESSRUN_SMTP_PORT'],
    [
      'an SMTP user without a password',
      { PRESSRUN_MAIL_TRANSPORT: 'smtp', PRESSRUN_SMTP_PORT: '25', PRESSRUN_SMTP_USER: 'u' },
      'PRESSRUN_SMTP_PASSWORD',
    ],
    ['a List-Id without a domain', { PRESSRUN_MAIL_LIST_ID: 'news' }, 'PRESSRUN_MAIL_LIST_ID'],
    ['a five-field cron', { PRESSRUN_DIGEST_CADENCE: '0 7 * * *' }, 'PRESSRUN_DIGEST_CADENCE'],
  ])('refuses %s', (_what, overrides, name) => {
    expect(problemsOf(overrides).join('\n')).toContain(name);
  });

  it.each(['cron(0 7 * * ? *)', 'cron(30 6 ? * MON-FRI *)', 'rate(12 hours)'])('accepts the schedule %s', (expression) => {
    expect(readDeliveryConfig(env({ PRESSRUN_DIGEST_CADENCE: expression }), site).cadence).toEqual({ kind: 'schedule', expression });
  });
});

describe('the time zone of readers’ hours', () => {
  const env = (timeZone: string) => ({
    PRESSRUN_MAIL_FROM: 'news@example.com',
    PRESSRUN_SES_CONFIGURATION_SET: 'set',
    PRESSRUN_TOKEN_SECRET: 'x'.repeat(40),
    PRESSRUN_TIME_ZONE: timeZone,
  });
  const site = { title: 'News', baseUrl: 'https://news.example.com/' };

  it('refuses at start a value that cannot name a zone, without loading the zones (every function’s cold start)', () => {
    expect(() => readDeliveryConfig(env('Paris, France'), site)).toThrow(/PRESSRUN_TIME_ZONE must be an IANA time zone/);
    expect(readDeliveryConfig(env('Europe/Paris'), site).rounds.timeZone).toBe('Europe/Paris');
  });

  it('is checked against the zones Intl knows where sends are planned, naming the variable', () => {
    expect(checkTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(() => checkTimeZone('Mars/Olympus_Mons')).toThrow(ConfigError);
    expect(() => checkTimeZone('Mars/Olympus_Mons')).toThrow(/PRESSRUN_TIME_ZONE/);
  });
});
