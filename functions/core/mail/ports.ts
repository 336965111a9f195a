/** One message to one reader, and what sends it (SES or SMTP). */

/** One message to one recipient, before MIME encoding (which the Mailer adapters share). */
export interface MailMessage {
  /** An RFC 5322 mailbox, e.g. `"Example News" <digest@news.example.com>`. */
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Further header fields, each written exactly once (List-Unsubscribe, List-Unsubscribe-Post, List-Id …). */
  headers: Record<string, string>;
  /** Provider tags (SES message tags) so bounce events can be traced back. */
  tags?: Record<string, string>;
}

export interface Mailer {
  /**
   * Sends one message. Fails with a MailerError (core/mail/mailer-error.ts) that says whether
   * the provider may have accepted it, which decides between retrying and flagging for review.
   */
  send(message: MailMessage): Promise<{ messageId: string }>;
}
