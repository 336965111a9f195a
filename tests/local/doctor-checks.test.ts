import { describe, expect, it } from 'vitest';
import {
  doctorChecks,
  doctorExitCode,
  formatChecks,
  type AccountFacts,
  type AwsFacts,
  type Check,
  type DoctorFacts,
  type IdentityFacts,
} from '../../functions/local/doctor/checks.js';

const tokens = ['tok1', 'tok2', 'tok3'];
const verified: IdentityFacts = {
  verifiedForSending: true,
  dkimStatus: 'SUCCESS',
  dkimTokens: tokens,
  configurationSetName: 'ConfigSet-1',
};
const production: AccountFacts = {
  productionAccess: true,
  sendingEnabled: true,
  enforcementStatus: 'HEALTHY',
  reviewStatus: 'GRANTED',
  max24HourSend: 50_000,
  maxSendRate: 14,
  sentLast24Hours: 12,
};
const destinations = [{ name: 'd', enabled: true, events: ['BOUNCE', 'COMPLAINT'], snsTopicArn: 'arn:aws:sns:us-east-1:1:events' }];

/** A deployed, healthy stage; each case changes one fact. */
function facts(change: { aws?: Partial<AwsFacts> } & Partial<Omit<DoctorFacts, 'aws'>> = {}): DoctorFacts {
  const { aws, ...rest } = change;
  return {
    region: 'us-east-1',
    settings: { stage: 'prod', sender: 'news@pressrun.test', domain: 'pressrun.test' },
    unknownSettings: [],
    caller: { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/ops' },
    secretsExtension: { published: true, knownToCdk: true, throughSdkWithout: false },
    ...rest,
    aws: {
      bootstrap: { found: 27 },
      identity: { found: verified },
      eventDestinations: { found: destinations },
      account: { found: production },
      ...aws,
    },
  };
}

const named = (checks: Check[], name: string): Check => {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check "${name}" in ${checks.map((c) => c.name).join(', ')}`);
  return found;
};
const fixText = (check: Check) => check.fix.join('\n');

describe('pressrun doctor checks', () => {
  it('passes a deployed, verified stage in production, every check ok but the quota, which is information', () => {
    const checks = doctorChecks(facts());
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['AWS account', 'ok'],
      ['Settings', 'ok'],
      ['CDK bootstrap', 'ok'],
      ['SES identity pressrun.test', 'ok'],
      ['DKIM', 'ok'],
      ['Bounce and complaint events', 'ok'],
      ['SES account', 'ok'],
      ['Send quota', 'info'],
      ['SES in the region', 'ok'],
      ['Secrets extension', 'ok'],
    ]);
    expect(checks.every((c) => c.status === 'ok' || c.fix.length === 0)).toBe(true);
    expect(named(checks, 'Send quota').summary).toBe('50000 mails a day, 14 a second; 12 sent in the last 24 hours');
    expect(doctorExitCode(checks)).toBe(0);
  });

  describe('AWS account', () => {
    it('fails without a region, and checks nothing of the account', () => {
      const checks = doctorChecks(facts({ region: undefined }));
      expect(named(checks, 'AWS account')).toMatchObject({ status: 'fail' });
      expect(fixText(named(checks, 'AWS account'))).toContain('export AWS_REGION=');
      expect(checks.map((c) => c.name)).toEqual(['AWS account', 'Settings']);
    });

    it('fails without credentials, naming the error and how to configure them', () => {
      const checks = doctorChecks(facts({ caller: { error: 'CredentialsProviderError: Could not load credentials from any providers' } }));
      const account = named(checks, 'AWS account');
      expect(account.status).toBe('fail');
      expect(account.summary).toContain('Could not load credentials');
      expect(fixText(account)).toContain('AWS_PROFILE');
      expect(checks.map((c) => c.name)).toEqual(['AWS account', 'Settings', 'SES in the region', 'Secrets extension']);
    });
  });

  describe('Settings', () => {
    it('fails with the problems cdk synth would report', () => {
      const problem = '-c sender must be an email address on a domain you control, got "nope"';
      const checks = doctorChecks(facts({ settings: { problems: [problem] } }));
      expect(named(checks, 'Settings')).toMatchObject({ status: 'fail', fix: [problem] });
      expect(checks.some((c) => c.name.startsWith('SES identity'))).toBe(false);
    });

    it('fails on the placeholder sender, which nobody can verify', () => {
      const checks = doctorChecks(facts({ settings: { stage: 'dev', sender: 'news@example.com', domain: 'example.com' } }));
      expect(named(checks, 'Settings').status).toBe('fail');
      expect(fixText(named(checks, 'Settings'))).toContain('-c sender=');
    });

    it('warns about a -c key that nothing reads', () => {
      const checks = doctorChecks(facts({ unknownSettings: ['domain'] }));
      const warning = checks.find((c) => c.name === 'Settings' && c.status === 'warn');
      expect(warning?.summary).toBe('cdk ignores -c domain: not a Pressrun setting');
      expect(fixText(warning!)).toContain('-c domainName=');
    });
  });

  describe('CDK bootstrap', () => {
    it('fails when the account and region are not bootstrapped, with the command for exactly them', () => {
      const check = named(doctorChecks(facts({ aws: { bootstrap: { absent: true } } })), 'CDK bootstrap');
      expect(check).toMatchObject({ status: 'fail', fix: ['npx cdk bootstrap aws://111122223333/us-east-1'] });
    });

    it('fails on a bootstrap older than the templates need', () => {
      const check = named(doctorChecks(facts({ aws: { bootstrap: { found: 5 } } })), 'CDK bootstrap');
      expect(check.status).toBe('fail');
      expect(check.summary).toBe('bootstrap version 5; the templates need 6 or later');
      expect(fixText(check)).toContain('npx cdk bootstrap aws://111122223333/us-east-1');
    });

    it('warns when the version cannot be read', () => {
      const check = named(
        doctorChecks(facts({ aws: { bootstrap: { error: 'AccessDeniedException: ssm:GetParameter' } } })),
        'CDK bootstrap',
      );
      expect(check.status).toBe('warn');
      expect(check.summary).toContain('AccessDeniedException');
    });
  });

  describe('SES identity and DKIM', () => {
    it('warns before the first deploy: the deploy creates the identity and the configuration set', () => {
      const checks = doctorChecks(facts({ aws: { identity: { absent: true }, eventDestinations: undefined } }));
      expect(named(checks, 'SES identity pressrun.test')).toMatchObject({
        status: 'warn',
        summary: 'not created yet: the first deploy creates it',
      });
      expect(fixText(named(checks, 'SES identity pressrun.test'))).toContain('DkimRecord1-3');
      expect(named(checks, 'Bounce and complaint events').status).toBe('info');
      expect(checks.some((c) => c.name === 'DKIM')).toBe(false);
      expect(doctorExitCode(checks)).toBe(0);
    });

    it('fails on an identity made by hand (no configuration set): the stack could not create it', () => {
      const identity = { found: { ...verified, configurationSetName: undefined } };
      const check = named(doctorChecks(facts({ aws: { identity } })), 'SES identity pressrun.test');
      expect(check.status).toBe('fail');
      expect(check.summary).toContain('Pressrun-prod-stateful fails (AlreadyExists)');
      expect(fixText(check)).toContain('aws sesv2 delete-email-identity --email-identity pressrun.test');
    });

    it('warns while the identity is unverified and lists the three DKIM CNAME records', () => {
      const identity = { found: { ...verified, verifiedForSending: false, dkimStatus: 'PENDING' } };
      const checks = doctorChecks(facts({ aws: { identity } }));
      expect(named(checks, 'SES identity pressrun.test').status).toBe('warn');
      const dkim = named(checks, 'DKIM');
      expect(dkim.status).toBe('warn');
      expect(dkim.summary).toMatch(/^PENDING/);
      expect(dkim.fix).toEqual([
        'add these CNAME records to the DNS of pressrun.test:',
        '  tok1._domainkey.pressrun.test  CNAME  tok1.dkim.amazonses.com',
        '  tok2._domainkey.pressrun.test  CNAME  tok2.dkim.amazonses.com',
        '  tok3._domainkey.pressrun.test  CNAME  tok3.dkim.amazonses.com',
      ]);
      expect(doctorExitCode(checks)).toBe(0);
    });

    it('says how to go on after SES stopped looking (FAILED), and points at the outputs when SES gives no tokens', () => {
      const identity = { found: { ...verified, verifiedForSending: false, dkimStatus: 'FAILED', dkimTokens: [] } };
      const dkim = named(doctorChecks(facts({ aws: { identity } })), 'DKIM');
      expect(dkim.summary).toMatch(/^FAILED: SES stopped looking/);
      expect(fixText(dkim)).toContain('DkimRecord1-3');
      expect(fixText(dkim)).toContain('Troubleshooting DKIM');
    });
  });

  describe('Bounce and complaint events', () => {
    it('fails when no enabled destination sends complaints to SNS', () => {
      const only = [
        { ...destinations[0]!, events: ['BOUNCE'] },
        { ...destinations[0]!, enabled: false },
      ];
      const check = named(doctorChecks(facts({ aws: { eventDestinations: { found: only } } })), 'Bounce and complaint events');
      expect(check.status).toBe('fail');
      expect(check.summary).toContain('sends no COMPLAINT events to SNS');
      expect(fixText(check)).toContain('create-configuration-set-event-destination --configuration-set-name ConfigSet-1');
    });

    it('fails when the configuration set the identity names is gone', () => {
      const check = named(doctorChecks(facts({ aws: { eventDestinations: { absent: true } } })), 'Bounce and complaint events');
      expect(check.status).toBe('fail');
      expect(fixText(check)).toContain('aws sesv2 create-configuration-set --configuration-set-name ConfigSet-1');
    });

    it('warns when the destinations cannot be read', () => {
      const check = named(doctorChecks(facts({ aws: { eventDestinations: { error: 'HTTP 404' } } })), 'Bounce and complaint events');
      expect(check.status).toBe('warn');
    });
  });

  describe('SES account', () => {
    const account = (change: Partial<AccountFacts>) => doctorChecks(facts({ aws: { account: { found: { ...production, ...change } } } }));

    it('warns in the sandbox, with the request for production access', () => {
      const checks = account({ productionAccess: false, reviewStatus: undefined, max24HourSend: 200, maxSendRate: 1 });
      const check = named(checks, 'SES account');
      expect(check.status).toBe('warn');
      expect(check.summary).toBe('in the SES sandbox in us-east-1: mail reaches only verified addresses');
      expect(fixText(check)).toContain(
        'aws sesv2 put-account-details --region us-east-1 --production-access-enabled --mail-type MARKETING',
      );
      expect(named(checks, 'Send quota').summary).toBe('200 mails a day, 1 a second; 12 sent in the last 24 hours');
    });

    it('warns while the request for production access is reviewed', () => {
      const check = named(account({ productionAccess: false, reviewStatus: 'PENDING' }), 'SES account');
      expect(check.status).toBe('warn');
      expect(check.summary).toContain('review pending');
    });

    it('fails when sending is paused', () => {
      const check = named(account({ sendingEnabled: false, enforcementStatus: 'SHUTDOWN' }), 'SES account');
      expect(check.status).toBe('fail');
      expect(fixText(check)).toContain('https://us-east-1.console.aws.amazon.com/ses/home?region=us-east-1#/account');
    });

    it('warns on probation', () => {
      expect(named(account({ enforcementStatus: 'PROBATION' }), 'SES account').status).toBe('warn');
    });

    it('warns when the account cannot be read, and shows no quota', () => {
      const checks = doctorChecks(facts({ aws: { account: { error: 'AccessDeniedException: ses:GetAccount' } } }));
      expect(named(checks, 'SES account').status).toBe('warn');
      expect(checks.some((c) => c.name === 'Send quota')).toBe(false);
    });

    it('says unlimited for a quota of -1', () => {
      expect(named(account({ max24HourSend: -1 }), 'Send quota').summary).toMatch(/^unlimited,/);
    });
  });

  describe('SES in the region', () => {
    it('fails where CloudFormation has no SES, naming the region and where to go instead', () => {
      const checks = doctorChecks(facts({ region: 'mx-central-1' }));
      expect(named(checks, 'SES in the region')).toMatchObject({ status: 'fail', summary: expect.stringContaining('mx-central-1') });
      expect(fixText(named(checks, 'SES in the region'))).toContain('eu-west-1');
      expect(doctorExitCode(checks)).toBe(1);
    });
  });

  describe('Secrets extension', () => {
    const extension = (secretsExtension: DoctorFacts['secretsExtension']) =>
      named(doctorChecks(facts({ region: 'il-central-1', secretsExtension })), 'Secrets extension');

    it('informs that secrets are read through the SDK where the layer is missing and the stack does so', () => {
      const check = extension({ published: false, knownToCdk: false, throughSdkWithout: true });
      expect(check).toMatchObject({ status: 'info', fix: [] });
      expect(check.summary).toContain('secrets are read through the SDK in this region');
    });

    it('fails where the layer is missing and the stack still needs it', () => {
      const check = extension({ published: false, knownToCdk: false, throughSdkWithout: false });
      expect(check.status).toBe('fail');
      expect(check.summary).toBe('no arm64 Parameters and Secrets layer in il-central-1: cdk synth fails here');
    });

    it('fails where aws-cdk-lib knows no layer ARN, even if the region is not on the list', () => {
      const check = extension({ published: true, knownToCdk: false, throughSdkWithout: true });
      expect(check.status).toBe('fail');
      expect(fixText(check)).toContain('cdk/secrets-extension.ts');
    });
  });

  it('prints one line per check with its mark, the fix indented below, and the verdict', () => {
    const checks = doctorChecks(facts({ aws: { bootstrap: { absent: true } } }));
    const text = formatChecks(checks);
    expect(text).toContain(
      '[FAIL] CDK bootstrap: aws://111122223333/us-east-1 is not bootstrapped\n         npx cdk bootstrap aws://111122223333/us-east-1\n',
    );
    expect(text).toContain('[ok]   AWS account: account 111122223333 in us-east-1');
    expect(text).toContain('[info] Send quota: ');
    expect(text.endsWith('\n\n1 check failed, 0 warnings.')).toBe(true);
    expect(doctorExitCode(checks)).toBe(1);
    expect(formatChecks(doctorChecks(facts())).endsWith('Ready to deploy, 0 warnings.')).toBe(true);
  });
});
