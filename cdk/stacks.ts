/** Both stacks of one stage, wired together; shared by app.ts and the tests. */
import { Token, type App, type Environment } from 'aws-cdk-lib';
import type { StageConfig } from './config.js';
import { CLOUDFRONT_LOGS_REGION, CloudFrontLogsStack } from './cloudfront-logs-stack.js';
import { sesUnavailable } from './secrets-extension.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export function buildStacks(app: App, config: StageConfig, options: { env?: Environment | undefined } = {}) {
  const region = options.env?.region;
  const noSes = region && !Token.isUnresolved(region) ? sesUnavailable(region) : undefined;
  if (noSes) throw new Error(noSes);
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
  return { stateful, stateless, cloudFrontLogs: cloudFrontLogsWhereNeeded(app, prefix, stateful) };
}

/** Logging v2, in us-east-1, where the distribution's legacy logging is off (an opt-in region: site-distribution.ts). */
function cloudFrontLogsWhereNeeded(app: App, prefix: string, stateful: StatefulStack): CloudFrontLogsStack | undefined {
  if (stateful.distribution.logsThroughLegacyLogging) return undefined;
  stateful.accessLogs.allowCloudFrontLogsV2(CLOUDFRONT_LOGS_REGION);
  const logs = new CloudFrontLogsStack(app, `${prefix}-cloudfront-logs`, {
    env: { account: stateful.account, region: CLOUDFRONT_LOGS_REGION },
    stateful,
    description: `Pressrun ${stateful.stackName}: the distribution's access logs (logging v2, set up from us-east-1)`,
  });
  logs.addStackDependency(stateful, 'the distribution and the logs bucket');
  return logs;
}
