import { createHash } from 'node:crypto';
import { invalid } from '../errors.js';
import { isValidSlug } from './slug-pattern.js';

/**
 * The namespace of Pressrun article ids. Fixed forever: changing it would change every
 * article's id and make every feed reader show every item again as unread.
 */
export const PRESSRUN_ID_NAMESPACE = 'd102ff1e-2527-487d-a5bb-322484021936';

/**
 * The id a new article gets: a name-based UUID (version 5, RFC 9562) of its slug, as a `urn:uuid:`.
 * It depends on nothing but the slug, so moving the site to another domain keeps every id.
 * It is assigned once, when the article is created, and stored; a later slug change keeps the stored id.
 * The nth article on a slug (after n − 1 were deleted) gets generation n, so no two articles share an id.
 */
export function articleIdFor(slug: string, generation = 1): string {
  if (!isValidSlug(slug)) {
    throw invalid(`"${slug}" is not a valid slug`, [{ field: 'slug', message: 'must be lower-case letters and digits joined by single hyphens' }]);
  }
  // A slug used again after its article was deleted is a new article: it gets a new id.
  return `urn:uuid:${uuidV5(generation === 1 ? slug : `${slug}#${generation}`, PRESSRUN_ID_NAMESPACE)}`;
}

/**
 * Why `id` cannot be an article's feed id, or undefined when it can: Atom requires an IRI, and
 * `feed` normalizes it through `new URL`, so only an id that survives that unchanged is the same
 * id in every format (https://example.com is written https://example.com/).
 */
export function articleIdProblem(id: string): string | undefined {
  if (!URL.canParse(id)) return 'must be an absolute URI such as urn:uuid:…';
  const normal = new URL(id).toString();
  return normal === id ? undefined : `must be an absolute URI in normal form: "${normal}"`;
}

/** A version 5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceHex = namespace.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(namespaceHex)) throw new TypeError(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(Buffer.from(namespaceHex, 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
