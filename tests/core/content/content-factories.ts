/** Fresh inputs for the content tests (the site comes from the one factory): every call builds new objects, so no test can change another's. */
import { makeSite } from '../../support/factories.js';

export const NOW = '2025-05-01T12:00:00.000Z';

export function makeContext(overrides: { source?: string; defaults?: { published?: string }; requirePublished?: boolean } = {}) {
  return { site: makeSite(), now: new Date(NOW), ...overrides };
}

/** A valid API input; override or remove (with undefined) any field. */
export function makeInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const input: Record<string, unknown> = {
    title: 'Harbour reopens after storm',
    body: 'The harbour reopened on **Tuesday** after a week of repairs.\n\nFerries run on the normal timetable.',
    ...overrides,
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return input;
}

/** Every string anywhere inside `value`, with its path. */
export function stringsIn(value: unknown, path = ''): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, `${path}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsIn(v, path ? `${path}.${k}` : k));
  return [];
}

/**
 * Whether `s` holds a code point XML 1.0 forbids, checked code unit by code unit: an
 * independent reading of the rule, not the regular expression under test.
 */
export function hasXmlForbidden(s: string): boolean {
  return xmlForbiddenIndexes(s).length > 0;
}

export function xmlForbiddenIndexes(s: string): number[] {
  const bad: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (isHigh) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      bad.push(i);
    } else if (isLow) {
      bad.push(i);
    } else if ((unit < 0x20 && unit !== 0x9 && unit !== 0xa && unit !== 0xd) || unit === 0xfffe || unit === 0xffff) {
      bad.push(i);
    }
  }
  return bad;
}

/** Characters XML forbids, to sprinkle into text fields. */
export const FORBIDDEN = '\u0000\u0001\u0008\u000B\u000C\u001F\uFFFE\uFFFF\uDC00\uD800';
