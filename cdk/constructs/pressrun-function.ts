/**
 * A Pressrun Lambda function: the shared bundling, Node 22 on arm64, its own log group with
 * retention, a role that may write to that log group and nothing else until granted, and
 * alarms on errors and throttles.
 */
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RUNTIME, bundledCode, entryPath, type EntryName } from '../bundling.js';
import type { LogRetentionDays } from '../config.js';
import { secretsAccess } from '../secrets-access.js';

export interface PressrunFunctionProps {
  entry: EntryName;
  /** Exported function name in the entry file. @default 'handler' */
  handler?: string;
  description: string;
  environment: Record<string, string>;
  /** @default 512 */
  memorySize?: number;
  timeout: Duration;
  logRetentionDays: LogRetentionDays;
  /** Where alarms notify; omitted alarms still show in the console. */
  alarmAction?: cloudwatch.IAlarmAction;
  /** Caps concurrency (the publish function runs one at a time). */
  reservedConcurrentExecutions?: number;
  /** The function reads secrets: through the Parameters and Secrets extension, or Secrets Manager's API where it is missing. */
  readsSecrets?: boolean;
  /** Alarm when throttled. @default true; off where throttling is the design (reserved concurrency 1). */
  alarmOnThrottles?: boolean;
  removalPolicy: RemovalPolicy;
}

/** What every function of a stage shares; the stateless stack passes it to each function's construct. */
export type PressrunFunctionDefaults = Pick<PressrunFunctionProps, 'logRetentionDays' | 'alarmAction' | 'removalPolicy'>;

export class PressrunFunction extends Construct implements iam.IGrantable {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: PressrunFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.removalPolicy,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: logs go to this function's log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (Pressrun)`,
    });
    this.grantPrincipal = this.role;
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    );

    const secrets = props.readsSecrets ? secretsAccess(this) : { environment: {} };
    this.fn = new NodejsFunction(this, 'Function', {
      ...bundledCode(entryPath(props.entry)),
      handler: props.handler ?? 'handler',
      description: props.description,
      environment: { ...props.environment, ...secrets.environment },
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      ...(secrets.paramsAndSecrets ? { paramsAndSecrets: secrets.paramsAndSecrets } : {}),
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${RUNTIME.name} is the runtime the bundles are built for (esbuild target in cdk/bundling.ts) and tested on; Lambda supports it until 2027. Moving to a newer runtime is one change in cdk/bundling.ts, made together with the bundling target.`,
    });

    const alarm = (name: string, metric: cloudwatch.Metric, description: string) => {
      const created = metric.createAlarm(this, name, {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      if (props.alarmAction) created.addAlarmAction(props.alarmAction);
      return created;
    };
    alarm('Errors', this.fn.metricErrors({ period: Duration.minutes(5) }), `${props.description}: an invocation failed`);
    if (props.alarmOnThrottles ?? true) {
      alarm('Throttles', this.fn.metricThrottles({ period: Duration.minutes(5) }), `${props.description}: invocations were throttled`);
    }
  }

  /** Lets the function's role take these actions on these resources, in a statement of its own. */
  allow(actions: string[], resources: string[]): void {
    this.role.addToPolicy(new iam.PolicyStatement({ actions, resources }));
  }
}
