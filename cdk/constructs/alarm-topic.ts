/** The SNS topic every alarm notifies, with an optional mail subscription for the operator. */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
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
    this.allowAlarmsOfThisAccount();
    if (props.email) this.addSubscription(new snsSubscriptions.EmailSubscription(props.email));
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key, and a customer-managed key would be a fixed monthly cost; alarm messages carry only alarm names and metric values.',
    });
    this.alarmAction = new cloudwatchActions.SnsAction(this);
  }

  /**
   * enforceSSL gives the topic a policy of its own (a Deny of plain HTTP), which replaces SNS's
   * default one: without this Allow no alarm could publish. Only this account's alarms may.
   */
  private allowAlarmsOfThisAccount(): void {
    const stack = Stack.of(this);
    const alarms = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': alarms } },
      }),
    );
  }
}
