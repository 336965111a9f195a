import { describe, expect, it } from 'vitest';
import { objectKeyFor } from '../../functions/local/static-site.js';

describe('objectKeyFor', () => {
  it.each([
    ['/', 'index.html'],
    ['/feed.xml', 'feed.xml'],
    ['/articles/a-b/', 'articles/a-b/index.html'],
    ['/articles/a-b/index.html', 'articles/a-b/index.html'],
    ['/tags/news/feed.json', 'tags/news/feed.json'],
    ['/digests/', 'digests/index.html'],
    ['//double/', 'double/index.html'],
    ['/caf%C3%A9/', 'café/index.html'],
  ])('serves %s from the object %s', (path, key) => {
    expect(objectKeyFor(path)).toBe(key);
  });

  it('refuses broken percent-encoding', () => {
    expect(() => objectKeyFor('/%E0%A4%A/')).toThrow();
  });
});
