/** The SNS topic every alarm notifies, with an optional mail subscription for the operator. */
import { Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Shown in the SNS console and as the sender of alarm mails. */
  readonly displayName: string;
  /**
   * Receives every alarm by mail (SNS asks once for a confirmation).
   * @default no subscription: alarms show in the CloudWatch console only
   */
  readonly email?: string;
}

export class AlarmTopic extends sns.Topic {
  /** Notifies this topic; pass it to alarms. */
  readonly alarmAction: cloudwatch.IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id, { displayName: props.displayName, enforceSSL: true });
    if (props.email) this.addSubscription(new snsSubscriptions.EmailSubscription(props.email));
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key, and a customer-managed key would be a fixed monthly cost; alarm messages carry only alarm names and metric values.',
    });
    this.alarmAction = new cloudwatchActions.SnsAction(this);
  }
}
