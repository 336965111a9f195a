/**
 * The messages Pressrun sends, as data: the digest for one recipient and the confirmation
 * request. MIME encoding is the mailer adapters' (functions/adapters/mime.ts), so SES and
 * SMTP send the very same bytes.
 */
import type { MailMessage } from './ports.js';
import { homeUrl } from '../urls.js';
import type { SiteConfig } from '../site.js';
import type { MailSettings } from './mail-settings.js';

/** RFC 8058's one value: it tells the receiver a POST to the HTTPS URI unsubscribes at once. */
export const ONE_CLICK = 'List-Unsubscribe=One-Click';

export function listUnsubscribe(mail: MailSettings, unsubscribeUrl: string, token: string): string {
  const mailto = `mailto:${mail.unsubscribeMailto}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
  return `<${unsubscribeUrl}>, <${mailto}>`;
}

export interface DigestCopy {
  /** The digest's html and text with this recipient's tokens filled in. */
  html: string;
  text: string;
  to: string;
  unsubscribeUrl: string;
  unsubscribeToken: string;
  /** A test send: marked in the subject and a header, and never recorded in the ledger. */
  test?: boolean;
  /** The same html and text as literals shared by every copy and this copy's values (MailMessage.parts). */
  parts?: MailMessage['parts'];
}

export function digestMessage(mail: MailSettings, digest: { id: string; subject: string }, copy: DigestCopy): MailMessage {
  return {
    from: mail.from,
    to: copy.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: copy.test ? `[Test] ${digest.subject}` : digest.subject,
    html: copy.html,
    text: copy.text,
    headers: {
      'List-Unsubscribe': listUnsubscribe(mail, copy.unsubscribeUrl, copy.unsubscribeToken),
      'List-Unsubscribe-Post': ONE_CLICK,
      'List-Id': mail.listId,
      ...(copy.test ? { 'X-Pressrun-Test': 'yes' } : {}),
    },
    tags: { kind: copy.test ? 'digest-test' : 'digest', digest: digest.id },
    ...(copy.parts ? { parts: copy.parts } : {}),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The double opt-in request: one link to a page whose button confirms (a bare GET never does). */
export function confirmationMessage(site: SiteConfig, mail: MailSettings, to: string, confirmUrl: string, validDays: number): MailMessage {
  const title = site.title;
  const subject = `Confirm your subscription to ${title}`;
  const text = [
    `Someone, probably you, asked to receive ${title} by email at this address.`,
    '',
    `To confirm, open this link and press the button: ${confirmUrl}`,
    'Once confirmed, you can choose which topics you receive, and how often.',
    '',
    `The link works for ${validDays} days. If you did not ask for this, ignore this mail: nothing will be sent to you.`,
    '',
    `-- ${title}, ${homeUrl(site)}`,
    '',
  ].join('\n');
  const html = `<!doctype html>
<html lang="${escapeHtml(site.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1d1d1f;background:#ffffff">
<div style="max-width:32rem;margin:0 auto">
<p>Someone, probably you, asked to receive <strong>${escapeHtml(title)}</strong> by email at this address.</p>
<p><a href="${escapeHtml(confirmUrl)}" style="display:inline-block;padding:10px 18px;background:#0b57d0;color:#ffffff;text-decoration:none;border-radius:4px">Confirm my subscription</a></p>
<p>Once confirmed, you can choose which topics you receive, and how often.</p>
<p style="color:#5f6368;font-size:14px">The link works for ${validDays} days. If you did not ask for this, ignore this mail: nothing will be sent to you.</p>
<p style="color:#5f6368;font-size:14px">${escapeHtml(title)} · <a href="${escapeHtml(homeUrl(site))}" style="color:#5f6368">${escapeHtml(homeUrl(site))}</a></p>
</div></body></html>
`;
  return {
    from: mail.from,
    to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject,
    html,
    text,
    headers: {},
    tags: { kind: 'confirmation' },
  };
}
