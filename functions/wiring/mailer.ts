/**
 * The mailer the configuration names, SES or SMTP, for the processes that send (the send
 * worker, the local server). Apart from delivery.ts so the API function, which only queues
 * mail, bundles no MIME builder and no SES client.
 */
import type { ClientOptions } from '../adapters/aws-clients.js';
import { readSendQuota, SANDBOX_QUOTA } from '../adapters/ses-account.js';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.js';
import { SmtpMailer } from '../adapters/smtp-mailer.js';
import type { DeliveryConfig } from '../config.js';
import type { Mailer } from '../core/mail/ports.js';

export interface ConfiguredMailer extends Mailer {
  /** Ends its connections (a local process stopping). */
  close(): void;
  /** Messages a second the provider takes from this account: SES's quota; an SMTP relay is not paced. */
  maxSendRate(): Promise<number>;
}

/** The configured mailer. */
export function createMailer(transport: DeliveryConfig['transport'], client: ClientOptions): ConfiguredMailer {
  if (transport.kind === 'smtp') return Object.assign(new SmtpMailer(transport), { maxSendRate: async () => Infinity });
  const ses = createSesClient(client);
  const mailer = new SesMailer(ses, transport.configurationSet);
  const maxSendRate = async () => {
    try {
      return (await readSendQuota(ses)).maxSendRate;
    } catch (error) {
      // Slow but safe: the sandbox's rate, until the next execution environment reads the quota again.
      console.warn(`Could not read the SES account's send quota; sending at ${SANDBOX_QUOTA.maxSendRate} mail/s`, error);
      return SANDBOX_QUOTA.maxSendRate;
    }
  };
  return Object.assign(mailer, { close: () => ses.destroy(), maxSendRate });
}
