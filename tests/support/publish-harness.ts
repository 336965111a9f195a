/** Real stores against s3rver and dynalite, wired into the publish use case, for tests. */
import { readFileSync } from 'node:fs';
import { DynamoArticleStore } from '../../functions/adapters/dynamo-article-store.js';
import { DynamoDigestStore } from '../../functions/adapters/dynamo-digest-store.js';
import { DynamoManifestStore } from '../../functions/adapters/dynamo-manifest-store.js';
import { DynamoPublishRunStore } from '../../functions/adapters/dynamo-publish-run-store.js';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.js';
import { renderDigest } from '../../functions/core/digest/render-digest.js';
import type { ObjectStore } from '../../functions/core/publish/ports.js';
import { runPublish, type PublishDeps } from '../../functions/core/publish/run-publish.js';
import type { SiteConfig } from '../../functions/core/site.js';
import type { LocalAws } from './local-aws.js';
import { makeSite } from './factories.js';

export const digestTemplate = (): string => readFileSync(new URL('../../templates/digest.mjml', import.meta.url), 'utf8');

export const makeSiteConfig = (overrides: Partial<SiteConfig> = {}): SiteConfig =>
  makeSite({ title: 'The Example Times', description: 'News from the example town', author: { name: 'The editors' }, ...overrides });

export function publishHarness(aws: LocalAws, overrides: Partial<PublishDeps> = {}) {
  const site = overrides.site ?? makeSiteConfig();
  const template = digestTemplate();
  const deps: PublishDeps = {
    site,
    articles: new DynamoArticleStore(aws.doc, aws.tableName),
    objects: new S3ObjectStore(aws.s3Client, aws.bucket),
    manifest: new DynamoManifestStore(aws.doc, aws.tableName),
    runs: new DynamoPublishRunStore(aws.doc, aws.tableName),
    digests: new DynamoDigestStore(aws.doc, aws.tableName),
    renderDigest: (input) => renderDigest({ ...input, site, template }),
    fingerprint: 'test-1',
    ...overrides,
  };
  return {
    deps,
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
