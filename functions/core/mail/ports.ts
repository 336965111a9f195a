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
  /**
   * The same html and text cut at what differs per reader: literals shared by every copy of a
   * content (the same arrays), and this copy's values between them. A mailer may encode the
   * literals once per content instead of the whole message for every reader.
   */
  parts?: { html: MailSegments; text: MailSegments };
}

/** A document as literals and the values between them: literals[0] + values[0] + literals[1] + … */
export interface MailSegments {
  literals: readonly string[];
  values: readonly string[];
}

export interface Mailer {
  /**
   * Sends one message. Fails with a MailerError (core/mail/mailer-error.ts) that says whether
   * the provider may have accepted it, which decides between retrying and flagging for review.
   */
  send(message: MailMessage): Promise<{ messageId: string }>;
}
