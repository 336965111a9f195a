/**
 * What the SES account may send (SES v2 GetAccount): its maximum send rate paces the send
 * worker, so a sandbox account (1 mail/s) and a 500 mails/s account both stay under their
 * quota without being throttled into retries.
 */
import { GetAccountCommand, type GetAccountCommandOutput } from '@aws-sdk/client-sesv2';

export interface SendQuota {
  /** Messages per second. */
  maxSendRate: number;
  max24HourSend: number;
  sentLast24Hours: number;
  /** False in the SES sandbox, where only verified recipients can be mailed. */
  productionAccess: boolean;
}

/** The slice of SESv2Client this reads with; tests hand in a small fake. */
export interface SesAccountReader {
  send(command: GetAccountCommand): Promise<Pick<GetAccountCommandOutput, 'SendQuota' | 'ProductionAccessEnabled'>>;
}

/** The sandbox's quota: what to assume when the account cannot be read. */
export const SANDBOX_QUOTA: SendQuota = { maxSendRate: 1, max24HourSend: 200, sentLast24Hours: 0, productionAccess: false };

export async function readSendQuota(ses: SesAccountReader): Promise<SendQuota> {
  const { SendQuota: quota, ProductionAccessEnabled } = await ses.send(new GetAccountCommand({}));
  return {
    maxSendRate: quota?.MaxSendRate && quota.MaxSendRate > 0 ? quota.MaxSendRate : SANDBOX_QUOTA.maxSendRate,
    max24HourSend: quota?.Max24HourSend ?? SANDBOX_QUOTA.max24HourSend,
    sentLast24Hours: quota?.SentLast24Hours ?? 0,
    productionAccess: ProductionAccessEnabled === true,
  };
}
