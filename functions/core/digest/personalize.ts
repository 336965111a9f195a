/**
 * Per-recipient filling of a rendered digest. Deliberately free of mjml (and of anything
 * heavy): the send worker imports this for every batch, and its cold start must stay small.
 */
import { PressrunError } from '../errors.js';
import type { Digest } from './ports.js';
import type { MailSegments } from '../mail/ports.js';

/**
 * Placeholders a rendered digest carries for what differs per recipient. Article text can
 * never produce them: the HTML part escapes every "{" in article data as "&#123;", and the
 * text part breaks up "{{{" (see neutralizeTokens).
 */
export const DIGEST_TOKENS = {
  unsubscribeUrl: '{{{pressrun:unsubscribe_url}}}',
  webVersionUrl: '{{{pressrun:web_version_url}}}',
  preferencesUrl: '{{{pressrun:preferences_url}}}',
} as const;

export type DigestTokenName = keyof typeof DIGEST_TOKENS;
export type DigestTokenValues = Record<DigestTokenName, string>;

const TOKEN_START = '{{{pressrun:';
const TOKEN_END = '}}}';
const nameByToken = new Map<string, DigestTokenName>(
  (Object.entries(DIGEST_TOKENS) as Array<[DigestTokenName, string]>).map(([name, token]) => [token, name]),
);

/** Keeps text from outside (titles, summaries) from spelling a token in the plain-text part. */
export function neutralizeTokens(text: string): string {
  // A word joiner is invisible when read, but the token no longer matches.
  return text.includes('{{{') ? text.replaceAll('{{{', '{{\u2060{') : text;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeAttribute = (value: string) => value.replace(/[&<>"']/g, (c) => htmlEscapes[c] as string);

/** A document cut at its tokens: literal, token, literal, token, ..., literal. */
interface SplitDocument {
  literals: string[];
  tokens: DigestTokenName[];
}

function split(document: string, field: 'html' | 'text'): SplitDocument {
  const literals: string[] = [];
  const tokens: DigestTokenName[] = [];
  let from = 0;
  for (let start = document.indexOf(TOKEN_START); start !== -1; start = document.indexOf(TOKEN_START, from)) {
    const end = document.indexOf(TOKEN_END, start + TOKEN_START.length);
    const token = end === -1 ? document.slice(start, start + 60) : document.slice(start, end + TOKEN_END.length);
    const name = nameByToken.get(token);
    if (!name)
      throw new PressrunError('invalid', `Unknown digest token ${token}`, [
        { field, message: `contains ${token}, which is not one of ${[...nameByToken.keys()].join(', ')}` },
      ]);
    literals.push(document.slice(from, start));
    tokens.push(name);
    from = end + TOKEN_END.length;
  }
  literals.push(document.slice(from));
  return { literals, tokens };
}

function fill({ literals, tokens }: SplitDocument, values: DigestTokenValues): string {
  let out = literals[0] as string;
  for (let i = 0; i < tokens.length; i++) out += values[tokens[i] as DigestTokenName] + (literals[i + 1] as string);
  return out;
}

function checkValues(values: DigestTokenValues): void {
  const missing = (Object.keys(DIGEST_TOKENS) as DigestTokenName[]).filter(
    (name) => typeof values[name] !== 'string' || values[name] === '',
  );
  if (missing.length > 0) {
    throw new PressrunError(
      'invalid',
      `Missing digest token values: ${missing.join(', ')}`,
      missing.map((name) => ({ field: name, message: 'is required to personalize a digest' })),
    );
  }
}

export type DigestPersonalizer = (values: DigestTokenValues) => {
  html: string;
  text: string;
  parts: { html: MailSegments; text: MailSegments };
};

/**
 * Cuts the digest at its tokens once, so that filling it for each recipient is a handful of
 * string concatenations. Throws if the digest holds a token this version does not know.
 */
export function compilePersonalizer(digest: Pick<Digest, 'html' | 'text'>): DigestPersonalizer {
  const html = split(digest.html, 'html');
  const text = split(digest.text, 'text');
  return (values) => {
    checkValues(values);
    const htmlValues = {} as DigestTokenValues;
    for (const name of Object.keys(values) as DigestTokenName[]) htmlValues[name] = escapeAttribute(values[name]);
    return {
      html: fill(html, htmlValues),
      text: fill(text, values),
      // The literals are the same arrays for every copy: what a mailer may encode once (MailMessage.parts).
      parts: {
        html: { literals: html.literals, values: html.tokens.map((name) => htmlValues[name]) },
        text: { literals: text.literals, values: text.tokens.map((name) => values[name]) },
      },
    };
  };
}

// A send batch personalizes one digest for up to 50 recipients in a row: keep the last split.
let last: { html: string; text: string; personalize: DigestPersonalizer } | undefined;

/**
 * The digest's html and text with every token filled for one recipient. Values are URLs as
 * they should be followed; they are escaped for HTML here. Throws if a value is missing.
 */
export function personalizeDigest(digest: Pick<Digest, 'html' | 'text'>, values: DigestTokenValues): { html: string; text: string } {
  if (!last || last.html !== digest.html || last.text !== digest.text) {
    last = { html: digest.html, text: digest.text, personalize: compilePersonalizer(digest) };
  }
  const { html, text } = last.personalize(values);
  return { html, text };
}
