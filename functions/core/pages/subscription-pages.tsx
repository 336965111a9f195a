/**
 * The few pages the subscription links lead to: short notices in the site's own style, with
 * at most one button. They change nothing when fetched; only their buttons POST. Never
 * indexed, never framed, and they send no Referer that could carry a token away.
 */
import type { SiteConfig } from '../site.js';
import type { Preferences } from '../subscribers/preferences.js';
import type { SubscriberStatus } from '../subscribers/ports.js';
import { confirmAction, preferencesAction, preferencesUrl, unsubscribeAction } from '../urls.js';
import { ChoiceFields, describeChoices } from './choices.js';
import { renderDocument } from './document.js';
import { Head, SiteHeader, SubscribeForm } from './parts.js';
import { homeUrl } from '../urls.js';

interface Form {
  action: string;
  fields: Record<string, string>;
  button: string;
}

interface NoticeProps {
  site: SiteConfig;
  title: string;
  lines: string[];
  form?: Form;
  /** Offer the subscribe form again (after a refused or expired link), with the address the reader typed. */
  subscribeAgain?: { email?: string };
  /** A link shown as a button (to the preference page, after confirming). */
  next?: { href: string; label: string };
  /** The page's own content after its lines (the preference form). */
  children?: unknown;
}

function Notice({ site, title, lines, form, subscribeAgain, next, children }: NoticeProps) {
  return (
    <html lang={site.language}>
      <Head site={site} title={title} private />
      <body>
        <div class="wrap">
          <SiteHeader site={site} />
          <main>
            <h1>{title}</h1>
            {lines.map((line) => (
              <p>{line}</p>
            ))}
            {form && (
              <form method="post" action={form.action} class="subscribe">
                {Object.entries(form.fields).map(([name, value]) => (
                  <input type="hidden" name={name} value={value} />
                ))}
                <button type="submit">{form.button}</button>
              </form>
            )}
            {next && (
              <p>
                <a class="button" href={next.href}>
                  {next.label}
                </a>
              </p>
            )}
            {children}
            {subscribeAgain && <SubscribeForm site={site} {...(subscribeAgain.email ? { email: subscribeAgain.email } : {})} />}
            <p>
              <a href={homeUrl(site)}>Back to {site.title}</a>
            </p>
          </main>
        </div>
      </body>
    </html>
  );
}

const page = (props: NoticeProps) => renderDocument(<Notice {...props} />);

/** What the preference page shows of a reader. */
export interface ReaderView {
  email: string;
  status: SubscriberStatus;
  preferences: Preferences;
}

/** The choices, open, posting to the preference route with the token in the body (as the confirm button does). */
function PreferenceForm({ site, token, preferences }: { site: SiteConfig; token: string; preferences: Preferences }) {
  return (
    <form method="post" action={preferencesAction(site)} class="subscribe">
      <input type="hidden" name="token" value={token} />
      <ChoiceFields idPrefix="choice" preferences={preferences} open timeZone={site.timeZone ?? 'UTC'} />
      <p class="muted">
        Looking for a tag? <a href={`${homeUrl(site)}#tags-heading`}>The home page lists the site’s tags.</a>
      </p>
      <button type="submit">Save choices</button>
    </form>
  );
}

export const subscriptionPages = {
  requested: (site: SiteConfig) =>
    page({
      site,
      title: 'Check your inbox',
      lines: [
        'If this address can receive our mail, a message with a confirmation link is on its way.',
        'Open it and press the button to start receiving the digest. Nothing is sent until you do.',
      ],
    }),
  confirmPrompt: (site: SiteConfig, token: string) =>
    page({
      site,
      title: 'Confirm your subscription',
      lines: [`Press the button to receive ${site.title} by email.`],
      form: { action: confirmAction(site), fields: { token }, button: 'Confirm subscription' },
    }),
  /** `preferencesToken` opens the reader's preference page, to choose right away. */
  confirmed: (site: SiteConfig, again: boolean, preferencesToken?: string) =>
    page({
      site,
      title: again ? 'You were already subscribed' : 'You are subscribed',
      lines: [
        'The next digest will reach you by email. Every one has a link to unsubscribe with one click.',
        ...(preferencesToken ? ['You may also choose which articles you receive, how often, and in what form.'] : []),
      ],
      ...(preferencesToken ? { next: { href: preferencesUrl(site, preferencesToken), label: 'Choose topics and how often' } } : {}),
    }),
  /** The preference page: what the reader receives now, as a form that saves a change; `problem` says why the last one was refused. */
  preferences: (site: SiteConfig, token: string, reader: ReaderView, problem?: string) =>
    page({
      site,
      title: 'Choose what you receive',
      lines: [
        `For ${reader.email}.`,
        ...(reader.status === 'pending' ? ['Your subscription waits for your confirmation: these choices apply once you confirm it.'] : []),
        ...(problem ? [`Nothing was saved: ${problem}`] : []),
      ],
      children: <PreferenceForm site={site} token={token} preferences={reader.preferences} />,
    }),
  /** After a save: the choices said back, and the way back to change them again. */
  preferencesSaved: (site: SiteConfig, token: string, reader: ReaderView) =>
    page({
      site,
      title: 'Your choices are saved',
      lines: [
        `Saved: ${describeChoices(reader.preferences, site.timeZone)}.`,
        `Every email to ${reader.email} has a link to change them again.`,
      ],
      next: { href: preferencesUrl(site, token), label: 'Change them again' },
    }),
  unsubscribePrompt: (site: SiteConfig, token: string) =>
    page({
      site,
      title: 'Unsubscribe',
      lines: [`Press the button and you will receive no more email from ${site.title}.`],
      form: { action: `${unsubscribeAction(site)}?token=${token}`, fields: { 'List-Unsubscribe': 'One-Click' }, button: 'Unsubscribe' },
    }),
  unsubscribed: (site: SiteConfig) =>
    page({
      site,
      title: 'You are unsubscribed',
      lines: [`You will receive no more email from ${site.title}. Changed your mind? Subscribe again below.`],
      subscribeAgain: {},
    }),
  /** A refused request or link; `email`, the address the reader typed, fills the form offered again. */
  refused: (site: SiteConfig, title: string, detail: string, email?: string) =>
    page({ site, title, lines: [detail], subscribeAgain: email === undefined ? {} : { email } }),
  tooMany: (site: SiteConfig, retryAfterSeconds: number) =>
    page({
      site,
      title: 'Too many requests',
      lines: [`Please try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minutes.`],
    }),
  unavailable: (site: SiteConfig) =>
    page({ site, title: 'Please try again later', lines: ['We could not handle this right now. Nothing was changed.'] }),
};
