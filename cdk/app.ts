/**
 * The CDK app: the only place that reads context. `-c stage=dev|prod` picks the preset in
 * config.ts; other `-c key=value` pairs override it (see StageOverrides and
 * stageConfigFromContext, which `pressrun doctor` reads the same flags with). cdk-nag's
 * AwsSolutions pack checks every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfigFromContext } from './config.js';
import { buildStacks } from './stacks.js';

const app = new App();

buildStacks(
  app,
  stageConfigFromContext((key) => app.node.tryGetContext(key)),
  {
    // Deploys to the account and region of the caller's credentials; synth needs neither.
    env: process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } : undefined,
  },
);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
