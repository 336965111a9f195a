/** cdk-nag's AwsSolutions pack over whole apps, as `npm run synth` runs it: every finding fixed or acknowledged. */
import { readFileSync } from 'node:fs';
import { Stack, Validations, type Environment } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { stageConfig, type StageOverrides } from '../../cdk/config.js';
import { buildStacks } from '../../cdk/stacks.js';
import { testApp } from '../support/cdk-app.js';
import { TEST_SENDER } from './harness.js';

const cdkJsonContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

function nagApp(stage: string, overrides: StageOverrides = {}, env?: Environment) {
  const app = testApp({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stacks = buildStacks(app, stageConfig(stage, { sender: TEST_SENDER, ...overrides }), { env });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, ...stacks };
}

describe('cdk-nag (AwsSolutions)', () => {
  it.each<[string, string, StageOverrides]>([
    ['dev', 'dev', {}],
    [
      'prod with a custom domain and alarm mail',
      'prod',
      {
        domainName: 'news.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
        alarmEmail: 'ops@example.com',
      },
    ],
    ['a stage that sends each digest on publish', 'dev', { digestCadence: 'publish' }],
  ])('leaves no unacknowledged finding for %s', (_name, stage, overrides) => {
    // A finding without an acknowledgment fails the synth with the rule and the construct path.
    expect(() => nagApp(stage, overrides).app.synth()).not.toThrow();
  });

  // A deploy knows its account and region (app.ts), and cdk-nag then names them in its findings' ids.
  it.each(['us-east-1', 'eu-central-2'])('leaves no unacknowledged finding for prod deployed to %s', (region) => {
    expect(() => nagApp('prod', {}, { account: '123456789012', region }).app.synth()).not.toThrow();
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    const { app, stateless } = nagApp('dev');
    new Queue(Stack.of(stateless), 'UnguardedQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
