import { describe, expect, it } from 'vitest';
import { articleIdFor, PRESSRUN_ID_NAMESPACE, uuidV5 } from '../../../functions/core/content/article-id.js';
import { PressrunError } from '../../../functions/core/errors.js';

const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5', () => {
  // Expected values from Python's uuid.uuid5, an independent implementation.
  it.each([
    [NAMESPACE_DNS, 'www.example.com', '2ed6657d-e927-568b-95e1-2665a8aea6a2'],
    [NAMESPACE_URL, 'https://example.com/', 'dd2c1780-811a-5296-81c5-178a0ef488bc'],
  ])('matches the reference value for %s + %s', (namespace, name, expected) => {
    expect(uuidV5(name, namespace)).toBe(expected);
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(TypeError);
  });
});

describe('articleIdFor', () => {
  it.each([
    // Pinned: if these change, every published article's feed id changes with them.
    ['hello-world', 'urn:uuid:e9cddb04-647e-5d84-9e1a-c225eae1a07a'],
    ['welcome-to-pressrun', 'urn:uuid:3821272b-979b-5cf4-a6f8-ae202954d518'],
  ])('gives %s the id %s, forever', (slug, id) => {
    expect(articleIdFor(slug)).toBe(id);
  });

  it('is a version 5, RFC variant urn:uuid', () => {
    expect(articleIdFor('any-slug')).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is the same on every call and differs between slugs', () => {
    expect(articleIdFor('harbour-reopens')).toBe(articleIdFor('harbour-reopens'));
    expect(articleIdFor('harbour-reopens')).not.toBe(articleIdFor('harbour-closes'));
  });

  it('depends on the slug and the fixed namespace only, never on a domain', () => {
    expect(articleIdFor('harbour-reopens')).toBe(`urn:uuid:${uuidV5('harbour-reopens', PRESSRUN_ID_NAMESPACE)}`);
    expect(articleIdFor.length).toBe(1);
  });

  it.each([[''], ['Not A Slug'], ['../x']])('refuses %j, naming the slug field', (slug) => {
    expect(() => articleIdFor(slug)).toThrow(PressrunError);
    expect(() => articleIdFor(slug)).toThrow(expect.objectContaining({ kind: 'invalid', problems: [expect.objectContaining({ field: 'slug' })] }));
  });
});
