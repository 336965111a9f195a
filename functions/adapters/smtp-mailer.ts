/**
 * Sends through any SMTP server with nodemailer: maildev locally, a relay or SES's SMTP
 * interface elsewhere. The MIME comes from mime.ts, exactly as SesMailer sends it; SMTP
 * replies are read for the one question the worker asks: could the server have taken it?
 */
import { createTransport } from 'nodemailer';
import { MailerError } from '../core/mail/mailer-error.js';
import type { Mailer, MailMessage } from '../core/mail/ports.js';
import { bareAddress, composeMime } from './mime.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** implicit: TLS from the first byte (port 465); starttls: required upgrade; none: plain (a local catcher). */
  tls: 'implicit' | 'starttls' | 'none';
  auth?: { user: string; pass: string };
  /** Connections kept open to the server. Default 5. */
  maxConnections?: number;
}

interface SmtpFailure extends Error {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
}

// Settings and refusals that stop every message alike: nothing was accepted, and retrying soon will not help.
const SETUP_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ETLS', 'EREQUIRETLS', 'EDNS', 'ECONFIG', 'EPROXY']);
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** What an SMTP failure means for the message; exported for its table-driven test. */
// eslint-disable-next-line complexity -- a table of SMTP reply codes and socket errors, one branch each
export function classifySmtpFailure(error: unknown): MailerError {
  const failure = error as SmtpFailure;
  const message = failure?.message ?? String(error);
  const code = failure?.responseCode;
  if (failure?.code && SETUP_CODES.has(failure.code)) return new MailerError('misconfigured', message, { cause: error });
  if (typeof code === 'number' && code >= 400 && code < 500) return new MailerError('throttled', message, { cause: error });
  if (typeof code === 'number' && code >= 500) {
    // A refused sender refuses every message: that is our setup, not this recipient.
    if (failure.command === 'MAIL FROM') return new MailerError('misconfigured', message, { cause: error });
    return new MailerError('rejected', message, { cause: error });
  }
  if (failure?.originalCode && NEVER_CONNECTED.has(failure.originalCode)) return new MailerError('unavailable', message, { cause: error });
  if (failure?.code === 'EENVELOPE' || failure?.code === 'EMESSAGE') return new MailerError('rejected', message, { cause: error });
  // A dropped connection or a timeout may come after the server took the message.
  return new MailerError('unknown', message, { cause: error });
}

export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(options: SmtpOptions) {
    this.transport = createTransport({
      pool: true,
      host: options.host,
      port: options.port,
      secure: options.tls === 'implicit',
      requireTLS: options.tls === 'starttls',
      ignoreTLS: options.tls === 'none',
      maxConnections: options.maxConnections ?? 5,
      maxMessages: Infinity,
      ...(options.auth ? { auth: options.auth } : {}),
    });
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const { raw, messageId } = await composeMime(message);
    try {
      await this.transport.sendMail({ envelope: { from: bareAddress(message.from), to: [bareAddress(message.to)] }, raw });
    } catch (error) {
      throw classifySmtpFailure(error);
    }
    return { messageId };
  }

  close(): void {
    this.transport.close();
  }
}
