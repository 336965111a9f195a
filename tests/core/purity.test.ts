import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const coreDir = new URL('../../functions/core/', import.meta.url).pathname;
const files = readdirSync(coreDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => join(coreDir, f));

/** What the pure core may never reach for: the outside world, a server framework, the environment. */
const forbidden: Array<[string, RegExp]> = [
  ['an AWS SDK', /from ['"]@aws-sdk\//],
  ['hono outside hono/jsx and hono/html', /from ['"]hono(?:\/(?!jsx|html)[^'"]*)?['"]/],
  ['the file system', /from ['"](?:node:)?fs(?:\/promises)?['"]/],
  ['nodemailer', /from ['"]nodemailer['"]/],
  ['an adapter', /from ['"][./]*(?:adapters|http|handlers|local|wiring)\//],
  ['the environment', /\bprocess\.env\b/],
  ['the clock', /\bDate\.now\(\)|new Date\(\)/],
  ['randomness', /\bMath\.random\b|\brandom(?:UUID|Bytes|Int)\b/],
];

/**
 * The contexts of the core, lowest first: each may import the files at the root of core (the
 * article, site settings and URLs, errors) and the contexts below it, never one above.
 */
const CONTEXTS = ['content', 'feeds', 'mail', 'subscribers', 'pages', 'digest', 'delivery', 'publish'];

/** The context a file of core belongs to; -1 for the shared files at its root. */
function levelOf(file: string): number {
  const [first, ...rest] = relative(coreDir, file).split('/');
  if (rest.length === 0) return -1;
  const level = CONTEXTS.indexOf(first!);
  if (level < 0) throw new Error(`functions/core/${first}/ is not a known context; give it its place in CONTEXTS`);
  return level;
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s+['"](\.[^'"]+)['"]/g)].map((m) => resolve(dirname(file), m[1]!));
}

describe('functions/core', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(forbidden)('never imports or touches %s', (_what, pattern) => {
    const offenders = files.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(coreDir, file));
    expect(offenders).toEqual([]);
  });

  it('has no god-file of ports: each context keeps its own', () => {
    expect(files.map((file) => relative(coreDir, file))).not.toContain('ports.ts');
  });

  it('never imports from a higher context into a lower one, nor a context into its shared root', () => {
    const upward = files.flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith(coreDir) && levelOf(target) > levelOf(file))
        .map((target) => `${relative(coreDir, file)} → ${relative(coreDir, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('knows the layering it checks: a page importing the digest would be refused', () => {
    expect(levelOf(join(coreDir, 'digest/render-digest.ts'))).toBeGreaterThan(levelOf(join(coreDir, 'pages/layout.tsx')));
    expect(levelOf(join(coreDir, 'site.ts'))).toBeLessThan(levelOf(join(coreDir, 'content/slug.ts')));
  });
});
