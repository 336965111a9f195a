/**
 * Optimistic concurrency over HTTP: an article's ETag is its store version, and an edit
 * names the version it was based on in If-Match (RFC 9110, strong comparison).
 */
import { PressrunError, conflict } from '../core/errors.js';

export const etagOf = (version: number): string => `"${version}"`;

/** `*`, or the entity tags listed in If-Match; weak tags are kept but never match. */
export type IfMatch = { any: true } | { any: false; tags: Array<{ weak: boolean; value: string }> };

const listSyntax = /^\s*(?:W\/)?"[\x21\x23-\x7e]*"\s*(?:,\s*(?:W\/)?"[\x21\x23-\x7e]*"\s*)*$/;

/** undefined when the header is absent; a 400 naming 'if-match' when it cannot be read. */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  if (!listSyntax.test(header)) {
    throw new PressrunError('malformed', 'If-Match must list entity tags such as "3"', [
      { field: 'if-match', message: 'must be * or a list of quoted entity tags, e.g. "3"' },
    ]);
  }
  const tags = [...header.matchAll(/(W\/)?"([^"]*)"/g)].map((m) => ({ weak: m[1] !== undefined, value: m[2] ?? '' }));
  return { any: false, tags };
}

/** Edits must say which version they replace: a missing If-Match is a 428. */
export function requireIfMatch(header: string | undefined): IfMatch {
  const parsed = parseIfMatch(header);
  if (!parsed) {
    throw new PressrunError('precondition-required', 'Send If-Match with the ETag of the version you edited', [
      { field: 'if-match', message: 'is required; use the ETag from GET' },
    ]);
  }
  return parsed;
}

/** The version the edit may replace; a 409 when If-Match names none that is current. */
export function matchedVersion(ifMatch: IfMatch, current: number): number {
  if (ifMatch.any || ifMatch.tags.some((tag) => !tag.weak && tag.value === String(current))) return current;
  throw conflict(`The article is at version ${current}; fetch it again and reapply your change`, [
    { field: 'if-match', message: `does not match the current ETag ${etagOf(current)}` },
  ]);
}

/** If-None-Match on a read (weak comparison): whether the client's copy is current. A header we cannot read never matches. */
export function clientHasVersion(header: string | undefined, current: number): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  if (!listSyntax.test(header)) return false;
  return [...header.matchAll(/(?:W\/)?"([^"]*)"/g)].some((m) => m[1] === String(current));
}
