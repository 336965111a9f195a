/**
 * The SNS topic SES publishes bounce and complaint events to (through the configuration
 * set); the SES-events function subscribes to it.
 */
import { Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface SesEventsTopicProps {
  /** Shown in the SNS console. */
  readonly displayName: string;
}

export class SesEventsTopic extends sns.Topic {
  constructor(scope: Construct, id: string, props: SesEventsTopicProps) {
    super(scope, id, { displayName: props.displayName, enforceSSL: true });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'SES cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key would be the only fixed monthly cost of the stack; the messages are SES bounce and complaint notices, delivered over TLS (enforceSSL) to one Lambda subscriber.',
    });
  }
}
