/** The SES events function's SNS loop: a failure throws, so SNS delivers the notification again. */
import type { SnsEvent } from '../adapters/lambda-events.js';
import type { SesEventsRoot } from '../wiring/ses-events.js';

export function sesNotifications(root: SesEventsRoot) {
  return async (event: SnsEvent): Promise<{ suppressed: number }> => {
    let suppressed = 0;
    for (const record of event.Records) suppressed += await root.suppressFrom(record.Sns.Message);
    return { suppressed };
  };
}
