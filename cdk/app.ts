/**
 * The CDK app: the only place that reads context. `-c stage=dev|prod` picks the preset in
 * config.ts; other `-c key=value` pairs override it (see StageOverrides). cdk-nag's
 * AwsSolutions pack checks every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig, type StageOverrides } from './config.js';
import { buildStacks } from './stacks.js';

const app = new App();
const context = (key: keyof StageOverrides): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null ? undefined : String(value);
};
const overrideKeys: Array<keyof StageOverrides> = [
  'siteTitle',
  'siteDescription',
  'siteLanguage',
  'domainName',
  'certificateArn',
  'sender',
  'digestCadence',
  'digestCron',
  'digestTimeZone',
  'logRetentionDays',
  'alarmEmail',
  'apiRatePerSecond',
  'apiBurst',
  'originSecretVersion',
];
const overrides: StageOverrides = Object.fromEntries(
  overrideKeys.flatMap((key) => (context(key) === undefined ? [] : [[key, context(key)]])),
);
const stage = String(app.node.tryGetContext('stage') ?? 'dev');

buildStacks(app, stageConfig(stage, overrides), {
  // Deploys to the account and region of the caller's credentials; synth needs neither.
  env: process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } : undefined,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
