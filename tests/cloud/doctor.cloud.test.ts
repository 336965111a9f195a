/**
 * `pressrun doctor` as an operator runs it, against moto: the CLI in a child process, its SDK
 * pointed at moto by AWS_ENDPOINT_URL, with fake credentials in us-east-1 (moto's account is
 * 123456789012).
 *
 * What moto 5.2 cannot show, so these cases cannot either (tests/local/doctor-checks.test.ts
 * covers each of those checks on facts instead):
 * - a verified identity: moto's SES v2 always answers VerifiedForSendingStatus false, and DKIM
 *   NOT_STARTED without tokens for Easy DKIM (SUCCESS only when the identity brings its own key);
 * - the SES account: it does not implement GetAccount (no sandbox, no production access, no quota);
 * - event destinations: it implements neither CreateConfigurationSetEventDestination nor
 *   GetConfigurationSetEventDestinations in SES v2;
 * - the bootstrap stack itself: the doctor reads only its SSM parameter, which moto does keep.
 * The doctor reports each of those as a warning ("could not read …"), so on moto it passes with
 * warnings rather than with every check ok.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateConfigurationSetCommand, CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMoto, type RunningMoto } from './moto.js';

const projectDir = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../../bin/pressrun.mjs', import.meta.url));
const settings = ['-c', 'stage=prod', '-c', 'sender=news@pressrun.test'];
const region = 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: RunningMoto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => moto?.close());
beforeEach(async () => moto.reset());

/** Runs `pressrun doctor` with only moto's AWS settings: nothing of the machine's own AWS configuration leaks in. */
function doctor(args: string[] = settings): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'doctor', ...args], { cwd: projectDir, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const client = <T>(Client: new (config: object) => T): T => new Client({ endpoint: moto.endpoint, region, credentials });

/** What the first deploy leaves behind, as far as moto models it: the bootstrap's parameter, the configuration set, the identity naming it. */
async function deployedStage(): Promise<void> {
  await client(SSMClient).send(new PutParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version', Value: '27', Type: 'String' }));
  const ses = client(SESv2Client);
  await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'ConfigurationSet3DD38186-Doctor' }));
  await ses.send(
    new CreateEmailIdentityCommand({ EmailIdentity: 'pressrun.test', ConfigurationSetName: 'ConfigurationSet3DD38186-Doctor' }),
  );
}

describe('pressrun doctor on moto', () => {
  it('fails a fresh account: not bootstrapped, with the command; the identity not there yet, with what follows the deploy', async () => {
    const { code, stdout } = await doctor();
    expect(stdout).toContain('[ok]   AWS account: account 123456789012 in us-east-1');
    expect(stdout).toContain('[ok]   Settings: stage prod, sender news@pressrun.test');
    expect(stdout).toContain(
      '[FAIL] CDK bootstrap: aws://123456789012/us-east-1 is not bootstrapped\n         npx cdk bootstrap aws://123456789012/us-east-1\n',
    );
    expect(stdout).toContain('[warn] SES identity pressrun.test: not created yet: the first deploy creates it\n');
    expect(stdout).toContain('DkimRecord1-3 to the DNS of pressrun.test');
    expect(stdout).toContain('[info] Bounce and complaint events: the first deploy creates the configuration set');
    expect(stdout).toContain('[ok]   Secrets extension: the arm64 Parameters and Secrets layer is published in us-east-1');
    expect(stdout).toMatch(/\n1 check failed, \d+ warnings\.\n$/);
    expect(code).toBe(1);
  });

  it('passes once the account is bootstrapped and the stage deployed, warning where moto cannot tell', async () => {
    await deployedStage();
    const { code, stdout } = await doctor();
    expect(stdout).toContain('[ok]   CDK bootstrap: aws://123456789012/us-east-1, version 27');
    // moto never verifies an identity and gives Easy DKIM no tokens: the doctor says what to do.
    expect(stdout).toContain('[warn] SES identity pressrun.test: not verified for sending yet');
    expect(stdout).toContain('[warn] DKIM: NOT_STARTED');
    // moto implements neither GetConfigurationSetEventDestinations nor GetAccount in SES v2.
    expect(stdout).toContain(
      '[warn] Bounce and complaint events: could not read the event destinations of ConfigurationSet3DD38186-Doctor: HTTP 404',
    );
    expect(stdout).toContain('[warn] SES account: could not read the SES account in us-east-1: HTTP 404');
    expect(stdout).not.toContain('[FAIL]');
    expect(stdout).toMatch(/\nReady to deploy, 4 warnings\.\n$/);
    expect(code).toBe(0);
  });

  it('fails on an identity made by hand before the first deploy, which the stack cannot create again', async () => {
    await client(SSMClient).send(new PutParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version', Value: '27', Type: 'String' }));
    await client(SESv2Client).send(new CreateEmailIdentityCommand({ EmailIdentity: 'pressrun.test' }));
    const { code, stdout } = await doctor();
    expect(stdout).toContain(
      '[FAIL] SES identity pressrun.test: exists in us-east-1 without a configuration set, so no Pressrun stack made it: the first deploy of Pressrun-prod-stateful fails (AlreadyExists)',
    );
    expect(stdout).toContain('aws sesv2 delete-email-identity --email-identity pressrun.test');
    expect(code).toBe(1);
  });

  it('reads the settings as cdk synth does: a bad one fails, a key nothing reads is named', async () => {
    const { code, stdout } = await doctor(['-c', 'sender=not-an-address', '-c', 'domain=news.pressrun.test']);
    expect(stdout).toContain('[FAIL] Settings: cdk synth would reject these settings\n         -c sender must be an email address');
    expect(stdout).toContain('[warn] Settings: cdk ignores -c domain: not a Pressrun setting');
    expect(code).toBe(1);
  });
});
