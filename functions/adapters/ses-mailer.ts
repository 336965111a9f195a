/**
 * Sends through Amazon SES (API v2, SendEmail with raw content), with a configuration set
 * so bounces and complaints come back as events. The MIME comes from mime.ts, exactly as
 * SmtpMailer sends it. The client must not retry by itself (createSesClient): SES has no
 * idempotency key, so an SDK retry after a lost response is a second email.
 */
import { SendEmailCommand, SESv2Client, type SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import { MailerError } from '../core/mail/mailer-error.js';
import type { Mailer, MailMessage } from '../core/mail/ports.js';
import type { ClientOptions } from './aws-clients.js';
import { bareAddress, composeMime } from './mime.js';

/** The slice of SESv2Client the mailer uses; tests hand in a small fake of the SES API here. */
export interface SesSender {
  send(command: SendEmailCommand): Promise<Pick<SendEmailCommandOutput, 'MessageId'>>;
}

export function createSesClient(options: ClientOptions): SESv2Client {
  return new SESv2Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // One attempt: the worker retries throttling itself and never resends what SES may have taken.
    maxAttempts: 1,
  });
}

const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'LimitExceededException']);
const REJECTED = new Set(['MessageRejected', 'BadRequestException', 'InvalidParameterValue']);
/** SES refusing this deployment: the role may not send as this identity (in the sandbox, also as the recipient's), the account or the configuration set stopped sending, the sender is unverified. */
const MISCONFIGURED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'AccountSuspendedException',
  'SendingPausedException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
]);
const UNAVAILABLE = new Set(['ExpiredTokenException', 'CredentialsProviderError']);
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

interface SdkFailure extends Error {
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** What an SES failure means for the message; exported for its table-driven test. */
// eslint-disable-next-line complexity -- a table of SES error names and statuses, one branch each
export function classifySesFailure(error: unknown): MailerError {
  const failure = error as SdkFailure;
  const name = failure?.name ?? '';
  const message = `${name}: ${failure?.message ?? String(error)}`;
  const status = failure?.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || status === 429) return new MailerError('throttled', message, { cause: error });
  if (REJECTED.has(name)) return new MailerError('rejected', message, { cause: error });
  if (MISCONFIGURED.has(name)) return new MailerError('misconfigured', message, { cause: error });
  if (UNAVAILABLE.has(name) || (failure?.code && NEVER_CONNECTED.has(failure.code)))
    return new MailerError('unavailable', message, { cause: error });
  // A 4xx we do not know is still an answer that SES did not send; a 5xx, a timeout or a reset may follow a send.
  if (typeof status === 'number' && status >= 400 && status < 500) return new MailerError('unavailable', message, { cause: error });
  return new MailerError('unknown', message, { cause: error });
}

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SesSender,
    private readonly configurationSet: string,
  ) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const { raw } = await composeMime(message);
    let output: Pick<SendEmailCommandOutput, 'MessageId'>;
    try {
      output = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: bareAddress(message.from),
          Destination: { ToAddresses: [bareAddress(message.to)] },
          Content: { Raw: { Data: raw } },
          ConfigurationSetName: this.configurationSet,
          EmailTags: Object.entries(message.tags ?? {}).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_.@-]/g, '_') })),
        }),
      );
    } catch (error) {
      throw classifySesFailure(error);
    }
    if (!output.MessageId) throw new MailerError('unknown', 'SES answered without a MessageId');
    return { messageId: output.MessageId };
  }
}
