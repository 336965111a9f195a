/**
 * The SES configuration set every mail is sent through: reputation metrics, the account's
 * suppression list for bounces and complaints, and both events on to a topic.
 */
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface MailConfigurationSetProps {
  /** Receives every bounce and complaint (see ses-events-topic.ts). */
  readonly eventsTopic: sns.ITopic;
}

export class MailConfigurationSet extends ses.ConfigurationSet {
  constructor(scope: Construct, id: string, props: MailConfigurationSetProps) {
    super(scope, id, { reputationMetrics: true, suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS });
    this.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(props.eventsTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
  }
}
