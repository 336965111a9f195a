/**
 * The mailer the configuration names, SES or SMTP, for the processes that send (the send
 * worker, the local server). Apart from delivery.ts so the API function, which only queues
 * mail, bundles no MIME builder and no SES client.
 */
import type { ClientOptions } from '../adapters/aws-clients.js';
import { createSesClient, SesMailer } from '../adapters/ses-mailer.js';
import { SmtpMailer } from '../adapters/smtp-mailer.js';
import type { DeliveryConfig } from '../config.js';
import type { Mailer } from '../core/mail/ports.js';

/** The configured mailer; `close` lets a local process end its SMTP connections. */
export function createMailer(transport: DeliveryConfig['transport'], client: ClientOptions): Mailer & { close(): void } {
  if (transport.kind === 'smtp') return new SmtpMailer(transport);
  const ses = createSesClient(client);
  const mailer = new SesMailer(ses, transport.configurationSet);
  return Object.assign(mailer, { close: () => ses.destroy() });
}
