/**
 * The HTTP API's one stage, `$default`, deployed on every change: its throttle is the
 * stage-wide guard in front of the public routes, and its access logs go to a log group.
 */
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface ApiStageProps {
  readonly httpApi: apigwv2.IHttpApi;
  readonly throttle: { readonly ratePerSecond: number; readonly burst: number };
  readonly accessLogs: logs.ILogGroup;
}

export class ApiStage extends apigwv2.HttpStage {
  constructor(scope: Construct, id: string, props: ApiStageProps) {
    super(scope, id, {
      httpApi: props.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.ratePerSecond, burstLimit: props.throttle.burst },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(props.accessLogs) },
    });
  }
}
