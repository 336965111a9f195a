/**
 * The distribution's access logs where CloudFront's legacy logging cannot write (a stateful
 * stack in an opt-in region): standard logging v2, whose delivery source, destination and
 * delivery CloudFormation can create only in us-east-1, hence a stack of their own there.
 * Logs still land in the logs bucket in the stateful stack's region (v2 delivers to opt-in
 * regions), whose policy lets the log delivery service write (access-logs-bucket.ts).
 */
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StatefulStack } from './stateful-stack.js';

/** The only region CloudWatch Logs accepts CloudFront delivery sources in. */
export const CLOUDFRONT_LOGS_REGION = 'us-east-1';

export interface CloudFrontLogsStackProps extends StackProps {
  stateful: StatefulStack;
}

export class CloudFrontLogsStack extends Stack {
  constructor(scope: Construct, id: string, props: CloudFrontLogsStackProps) {
    super(scope, id, props);
    const { stateful } = props;
    // Read from the stateful stack's outputs (Fn::GetStackOutput, across regions): CDK's own references need physical names here.
    const fromStateful = (name: string, value: string, description: string) => {
      new CfnOutput(stateful, name, { value, description });
      return Fn.getStackOutput(stateful.stackName, name, stateful.region);
    };
    // Names are unique per account and region; the stateful stack's name says which deployment.
    const name = `${stateful.stackName}-cloudfront`.toLowerCase();
    const source = new logs.CfnDeliverySource(this, 'Source', {
      name,
      logType: 'ACCESS_LOGS',
      resourceArn: fromStateful('DistributionArn', stateful.distribution.distributionArn, 'The distribution (its logs, from us-east-1)'),
    });
    const destination = new logs.CfnDeliveryDestination(this, 'Destination', {
      name,
      destinationResourceArn: fromStateful('AccessLogsBucketArn', stateful.accessLogs.bucketArn, "Where the distribution's logs go"),
      outputFormat: 'w3c',
    });
    new logs.CfnDelivery(this, 'Delivery', {
      deliverySourceName: source.ref,
      deliveryDestinationArn: destination.attrArn,
    });
  }
}
