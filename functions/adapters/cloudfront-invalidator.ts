/**
 * Invalidates on CloudFront exactly the URLs whose objects a publish wrote or deleted.
 * CloudFront bills invalidation paths (the first 1,000 a month are free) and allows 3,000
 * paths in flight per distribution, so a large publish (a full rebuild) is folded into a
 * few wildcards over its top-level folders instead.
 */
import { CreateInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { randomUUID } from 'node:crypto';

/** Paths per invalidation; a third of CloudFront's in-flight limit, so back-to-back publishes never hit it. */
export const DEFAULT_MAX_PATHS = 1_000;

/**
 * The URL paths that serve an object: a directory's index.html is also served as the
 * directory itself (`articles/x/index.html` → `/articles/x/` and `/articles/x/index.html`).
 * Characters CloudFront does not take literally in a path are percent-encoded.
 */
export function pathsForKey(key: string): string[] {
  const path = `/${key.split('/').map(encodeSegment).join('/')}`;
  if (key === 'index.html' || key.endsWith('/index.html')) return [path.slice(0, -'index.html'.length), path];
  return [path];
}

// `*` is CloudFront's wildcard; it must never come from a key.
const encodeSegment = (segment: string) => encodeURIComponent(segment).replace(/\*/g, '%2A');

/**
 * Every path to invalidate for the changed keys, at most `maxPaths`: above it, the largest
 * top-level folders become one wildcard each (`/tags/*`) until the list fits, and if even
 * that is too many, `/*`.
 */
export function invalidationPaths(keys: readonly string[], maxPaths = DEFAULT_MAX_PATHS): string[] {
  const paths = [...new Set(keys.flatMap(pathsForKey))].sort();
  if (paths.length <= maxPaths) return paths;
  const byFolder = new Map<string, string[]>();
  const rootFiles: string[] = [];
  for (const path of paths) {
    const slash = path.indexOf('/', 1);
    if (slash === -1) rootFiles.push(path);
    else {
      const folder = path.slice(0, slash + 1);
      const inside = byFolder.get(folder);
      if (inside) inside.push(path);
      else byFolder.set(folder, [path]);
    }
  }
  let count = paths.length;
  const folded = new Set<string>();
  for (const [folder, inside] of [...byFolder].sort((a, b) => b[1].length - a[1].length)) {
    if (count <= maxPaths) break;
    folded.add(folder);
    count -= inside.length - 1;
  }
  if (count > maxPaths) return ['/*'];
  return [...rootFiles, ...[...byFolder].flatMap(([folder, inside]) => (folded.has(folder) ? [`${folder}*`] : inside))].sort();
}

export class CloudFrontInvalidator {
  constructor(
    private readonly cloudfront: Pick<CloudFrontClient, 'send'>,
    private readonly distributionId: string,
    private readonly options: { maxPaths?: number } = {},
  ) {}

  /** Invalidates what changed; returns the paths asked for (none when nothing changed). */
  async invalidate(changed: { written: readonly string[]; deleted: readonly string[]; everything?: true }): Promise<string[]> {
    // More changed than the lists name (a fanned-out full publish lists only some of its keys): one wildcard clears it all.
    const paths = changed.everything ? ['/*'] : invalidationPaths([...changed.written, ...changed.deleted], this.options.maxPaths);
    if (paths.length === 0) return paths;
    try {
      await this.create(paths);
      return paths;
    } catch (error) {
      // Too many invalidations already running: one wildcard still clears everything, at the cost of one path.
      if (!(error instanceof Error && error.name === 'TooManyInvalidationsInProgress') || paths[0] === '/*') throw error;
      await this.create(['/*']);
      return ['/*'];
    }
  }

  private async create(paths: string[]): Promise<void> {
    await this.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: { CallerReference: randomUUID(), Paths: { Quantity: paths.length, Items: paths } },
      }),
    );
  }
}
