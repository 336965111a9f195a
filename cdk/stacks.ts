/** Both stacks of one stage, wired together; shared by app.ts and the tests. */
import type { App, Environment } from 'aws-cdk-lib';
import type { StageConfig } from './config.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export function buildStacks(app: App, config: StageConfig, options: { env?: Environment | undefined } = {}) {
  const prefix = `Pressrun-${config.stage}`;
  const env = options.env ? { env: options.env } : {};
  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    ...env,
    config,
    description: `Pressrun ${config.stage}: data, site bucket, distribution, queues, SES, secrets`,
  });
  const stateless = new StatelessStack(app, `${prefix}-stateless`, {
    ...env,
    config,
    stateful,
    description: `Pressrun ${config.stage}: functions, API stage, schedule, alarms`,
  });
  stateless.addStackDependency(stateful, 'the functions use its table, bucket, queues, secrets and distribution');
  return { stateful, stateless };
}
