import { describe, expect, it } from 'vitest';
import { directoryRedirect, objectKeyFor, requestedKey } from '../../functions/local/static-site.js';

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

describe('requestedKey', () => {
  it.each([
    ['/%00', undefined],
    ['/a%0Ab/', undefined],
    ['/a%7F', undefined],
    ['/%E0%A4%A/', undefined],
    [`/${'a'.repeat(1_025)}`, undefined],
    [`/${'é'.repeat(513)}`, undefined],
    [`/${'a'.repeat(1_024)}`, 'a'.repeat(1_024)],
    ['/articles/x/', 'articles/x/index.html'],
  ])('reads %s as the key %s', (path, key) => {
    expect(requestedKey(path)).toBe(key);
  });
});

describe('directoryRedirect', () => {
  it.each([
    ['/articles/x', '/articles/x/'],
    ['//evil.example/x', '/evil.example/x/'],
    ['///evil.example', '/evil.example/'],
    ['/\\evil.example', '/evil.example/'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example/'],
  ])('sends %s to %s, a path of the site', (path, location) => {
    expect(directoryRedirect(path)).toBe(location);
    expect(new URL(directoryRedirect(path), 'http://localhost:8787/').host).toBe('localhost:8787');
  });
});
