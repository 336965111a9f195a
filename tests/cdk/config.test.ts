import { describe, expect, it } from 'vitest';
import { senderDomain, stageConfig, StageConfigError, type StageOverrides } from '../../cdk/config.js';

/** Every stage needs a sender (no preset has one); the tests give this one unless they test its absence. */
const sender = 'news@example.com';

describe('stageConfig', () => {
  it('gives the dev preset, with data that may be deleted and a daily digest', () => {
    const config = stageConfig('dev', { sender });
    expect(config).toMatchObject({
      stage: 'dev',
      retainData: false,
      logRetentionDays: 14,
      digest: { cadence: 'schedule', cron: 'cron(0 7 * * ? *)', timeZone: 'UTC' },
    });
    expect(config.site.domain).toBeUndefined();
  });

  it('keeps data in prod', () => {
    expect(stageConfig('prod', { sender })).toMatchObject({ retainData: true, logRetentionDays: 90 });
  });

  it('applies context overrides', () => {
    const config = stageConfig('prod', {
      domainName: 'news.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-aaaa-bbbb-cccc-000000000000',
      sender: 'Digest@News.Example.com',
      digestCadence: 'publish',
      logRetentionDays: '30',
      alarmEmail: 'ops@example.com',
    });
    expect(config.site.domain).toEqual({ name: 'news.example.com', certificateArn: expect.stringContaining(':certificate/') });
    expect(config.digest).toEqual({ cadence: 'publish' });
    expect(config.logRetentionDays).toBe(30);
    expect(config.alarmEmail).toBe('ops@example.com');
    expect(senderDomain(config)).toBe('news.example.com');
  });

  it.each(['dev', 'prod'])('refuses %s without a sender, naming the flag: no preset has an address anyone could verify', (stage) => {
    expect(() => stageConfig(stage)).toThrow(StageConfigError);
    expect(() => stageConfig(stage)).toThrow(/-c sender is required: the From address of every mail/);
  });

  it('names an unknown stage and the ones there are', () => {
    expect(() => stageConfig('staging')).toThrow(/unknown stage "staging": pass -c stage=<dev\|prod>/);
  });

  it.each<[string, StageOverrides, RegExp]>([
    ['a sender that is not an address', { sender: 'news' }, /-c sender must be an email address/],
    [
      'a domain without a certificate',
      { domainName: 'news.example.com' },
      /certificateArn must be the ARN of an ACM certificate in us-east-1/,
    ],
    [
      'a certificate outside us-east-1',
      { domainName: 'news.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' },
      /in us-east-1/,
    ],
    ['a malformed cron', { digestCron: '0 7 * * *' }, /digestCron must be an EventBridge cron expression/],
    ['an unknown time zone', { digestTimeZone: 'Mars/Olympus' }, /digestTimeZone must be an IANA time zone/],
    ['an unknown cadence', { digestCadence: 'weekly' }, /digestCadence must be "publish" or "schedule"/],
    ['a retention CloudWatch does not offer', { logRetentionDays: '10' }, /logRetentionDays must be one of 1, 3, 5/],
    ['a rate that is not a number', { apiRatePerSecond: 'fast' }, /apiRatePerSecond must be a whole number/],
    ['an origin secret version that is not one', { originSecretVersion: 'AWSCURRENT' }, /originSecretVersion must be the VersionId/],
  ])('refuses %s, saying what to pass', (_case, overrides, message) => {
    expect(() => stageConfig('dev', { sender, ...overrides })).toThrow(StageConfigError);
    expect(() => stageConfig('dev', { sender, ...overrides })).toThrow(message);
  });

  it('lists every problem at once', () => {
    try {
      stageConfig('dev', { sender: 'x', digestCron: 'y', alarmEmail: 'z' });
      expect.unreachable();
    } catch (error) {
      expect((error as StageConfigError).problems).toHaveLength(3);
    }
  });
});
