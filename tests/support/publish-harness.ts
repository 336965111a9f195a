/**
 * The publish use case wired to the in-memory fakes of its ports, for the core tests: no server.
 * Each harness has stores of its own; pass `h.stores` to a second harness to publish the same
 * site with other settings.
 */
import { renderDigest } from '../../functions/core/digest/render-digest.js';
import type { ObjectStore } from '../../functions/core/publish/ports.js';
import { runPublish, type PublishDeps } from '../../functions/core/publish/run-publish.js';
import { makeSite } from './factories.js';
import { InMemoryArticleStore } from './fakes/article-store.js';
import { InMemoryDigestStore } from './fakes/digest-store.js';
import { InMemoryManifestStore } from './fakes/manifest-store.js';
import { InMemoryObjectStore } from './fakes/object-store.js';
import { InMemoryPublishRunStore } from './fakes/publish-run-store.js';
import { digestTemplate } from './templates.js';

export function inMemoryPublishStores() {
  return {
    articles: new InMemoryArticleStore(),
    objects: new InMemoryObjectStore(),
    manifest: new InMemoryManifestStore(),
    runs: new InMemoryPublishRunStore(),
    digests: new InMemoryDigestStore(),
  };
}

export type PublishStores = ReturnType<typeof inMemoryPublishStores>;

export function publishHarness(overrides: Partial<PublishDeps> & { stores?: PublishStores } = {}) {
  const { stores = inMemoryPublishStores(), ...depsOverrides } = overrides;
  const site = depsOverrides.site ?? makeSite();
  const template = digestTemplate();
  const deps: PublishDeps = {
    site,
    ...stores,
    renderDigest: (input) => renderDigest({ ...input, site, template }),
    fingerprint: 'test-1',
    ...depsOverrides,
  };
  return {
    deps,
    stores,
    publish: (now: Date, options: { full?: boolean; objects?: ObjectStore } = {}) =>
      runPublish(options.objects ? { ...deps, objects: options.objects } : deps, {
        now,
        full: options.full ?? false,
        timer: () => performance.now(),
      }),
    text: async (key: string): Promise<string | undefined> => {
      const found = await deps.objects.get(key);
      return found && found !== 'not-modified' ? Buffer.from(found.body).toString('utf8') : undefined;
    },
  };
}
