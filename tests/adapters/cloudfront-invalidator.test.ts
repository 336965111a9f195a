import type { CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import { CloudFrontInvalidator, invalidationPaths, pathsForKey } from '../../functions/adapters/cloudfront-invalidator.js';

/** Plays CloudFront's CreateInvalidation (nothing local does): records each batch, fails on demand. */
function fakeCloudFront(failures: Error[] = []) {
  const batches: string[][] = [];
  return {
    batches,
    send: async (command: CreateInvalidationCommand) => {
      const failure = failures.shift();
      if (failure) throw failure;
      const { Paths } = command.input.InvalidationBatch!;
      expect(Paths!.Quantity).toBe(Paths!.Items!.length);
      batches.push(Paths!.Items!);
      return {};
    },
  };
}

const named = (name: string) => Object.assign(new Error(name), { name });

describe('pathsForKey', () => {
  it.each([
    ['index.html', ['/', '/index.html']],
    ['articles/bridge-reopens/index.html', ['/articles/bridge-reopens/', '/articles/bridge-reopens/index.html']],
    ['feed.xml', ['/feed.xml']],
    ['tags/town/atom.xml', ['/tags/town/atom.xml']],
    ['tags/café au lait/feed.json', ['/tags/caf%C3%A9%20au%20lait/feed.json']],
    ['tags/a*b/feed.xml', ['/tags/a%2Ab/feed.xml']],
  ])('maps %s to the URLs that serve it', (key, paths) => {
    expect(pathsForKey(key)).toEqual(paths);
  });
});

describe('invalidationPaths', () => {
  it('lists each changed URL once', () => {
    expect(invalidationPaths(['feed.xml', 'index.html', 'feed.xml'])).toEqual(['/', '/feed.xml', '/index.html']);
  });

  it('folds the largest top-level folders into wildcards until the list fits', () => {
    const keys = [
      ...Array.from({ length: 30 }, (_, i) => `articles/a-${i}/index.html`),
      'tags/town/index.html',
      'tags/town/feed.xml',
      'feed.xml',
      'index.html',
    ];
    expect(invalidationPaths(keys, 10)).toEqual([
      '/',
      '/articles/*',
      '/feed.xml',
      '/index.html',
      '/tags/town/',
      '/tags/town/feed.xml',
      '/tags/town/index.html',
    ]);
    expect(invalidationPaths(keys, 5)).toEqual(['/', '/articles/*', '/feed.xml', '/index.html', '/tags/*']);
  });

  it('folds the 284,000 paths of a full publish of 100,000 articles into a few wildcards, as the finish of a fanned-out publish asks', () => {
    // Each path is looked at a constant number of times: copying a folder's list for each of its paths took minutes here.
    const keys = [
      ...Array.from({ length: 100_000 }, (_, i) => `articles/article-${i}/index.html`),
      ...Array.from({ length: 2_000 }, (_, i) => `page/${i + 1}/index.html`),
      ...Array.from({ length: 40_000 }, (_, i) => `tags/tag-${i % 40}/page/${i}/index.html`),
      'feed.xml',
      'index.html',
    ];
    expect(invalidationPaths(keys)).toEqual(['/', '/articles/*', '/feed.xml', '/index.html', '/page/*', '/tags/*']);
  });

  it('falls back to everything when even the folders are too many', () => {
    expect(invalidationPaths(['a.xml', 'b.xml', 'c.xml'], 2)).toEqual(['/*']);
  });
});

describe('CloudFrontInvalidator', () => {
  it('invalidates written and deleted objects in one batch', async () => {
    const cloudfront = fakeCloudFront();
    const paths = await new CloudFrontInvalidator(cloudfront, 'E1').invalidate({
      written: ['feed.xml'],
      deleted: ['articles/gone/index.html'],
    });
    expect(cloudfront.batches).toEqual([['/articles/gone/', '/articles/gone/index.html', '/feed.xml']]);
    expect(paths).toEqual(cloudfront.batches[0]);
  });

  it('clears everything with one wildcard when more changed than the lists name', async () => {
    const cloudfront = fakeCloudFront();
    const paths = await new CloudFrontInvalidator(cloudfront, 'E1').invalidate({ written: ['feed.xml'], deleted: [], everything: true });
    expect(paths).toEqual(['/*']);
    expect(cloudfront.batches).toEqual([['/*']]);
  });

  it('asks for nothing when nothing changed', async () => {
    const cloudfront = fakeCloudFront();
    expect(await new CloudFrontInvalidator(cloudfront, 'E1').invalidate({ written: [], deleted: [] })).toEqual([]);
    expect(cloudfront.batches).toEqual([]);
  });

  it('clears everything with one wildcard when too many invalidations are already running', async () => {
    const cloudfront = fakeCloudFront([named('TooManyInvalidationsInProgress')]);
    expect(await new CloudFrontInvalidator(cloudfront, 'E1').invalidate({ written: ['feed.xml'], deleted: [] })).toEqual(['/*']);
    expect(cloudfront.batches).toEqual([['/*']]);
  });

  it('lets any other failure through, so the publish run reports it', async () => {
    const cloudfront = fakeCloudFront([named('AccessDenied')]);
    await expect(new CloudFrontInvalidator(cloudfront, 'E1').invalidate({ written: ['feed.xml'], deleted: [] })).rejects.toThrow(
      'AccessDenied',
    );
  });
});
