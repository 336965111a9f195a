/**
 * One size of `npm run bench:scale`: an archive of N generated articles imported into the local
 * stack (not timed), which this process keeps serving (s3rver, dynalite) while each full publish
 * runs in a process of its own with the publish function's heap (bench/scale-publish.ts), first
 * straight to s3rver, then through a proxy adding `latencyMs` to every S3 request, at each write
 * concurrency asked for; then the same full publish as the cloud runs it, fanned out over
 * invocations of the deployed bundle (support/bundled-publish.ts). Prints one line of JSON.
 *
 *   node --import tsx bench/scale-run.ts <articles> <latencyMs> <concurrency,concurrency,…> [<chunk invocations at once>]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLocalStack } from '../functions/wiring/local.js';
import { generateArticles } from './generate-articles.js';
import { seedArchive } from './support/seed-archive.js';
import { publishThroughBundle } from './support/bundled-publish.js';
import { startLatencyProxy } from './support/latency-proxy.js';

const [size = 10_000, latencyMs = 15] = process.argv.slice(2, 4).map(Number);
const concurrencies = (process.argv[4] ?? '16,64').split(',').filter(Boolean).map(Number);
/** Chunk invocations at once for the bundle's fanned-out publish; 0 leaves it out. */
const bundleConcurrency = Number(process.argv[5] ?? 2);
/** The deployed publish function's memory (cdk/constructs/publish-function.ts): its heap limit here. */
const FUNCTION_MEMORY_MB = 1024;

interface Published {
  ms: number;
  cpuMs: number;
  peakRss: number;
  written: number;
}

/** One full publish in a child process with the function's heap; its own figures. */
async function publishInChild(input: { config: unknown; s3: string; now: string; concurrency: number }): Promise<Published> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [`--max-old-space-size=${FUNCTION_MEMORY_MB}`, '--openssl-legacy-provider', '--import', 'tsx', 'bench/scale-publish.ts'],
    {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, SCALE_PUBLISH: JSON.stringify(input) },
      maxBuffer: 1 << 24,
      timeout: 60 * 60_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Published;
}

async function bytesUnder(dir: string): Promise<number> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(files.filter((f) => f.isFile()).map(async (f) => (await stat(join(f.parentPath, f.name))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

const dataDir = await mkdtemp(join(tmpdir(), 'pressrun-scale-'));
const stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_BUCKET: 'scale-site' }, port: 8787 });
const out: Record<string, unknown> = { size, latencyMs };
console.error('phase: seeding');
try {
  const { stores, config } = stack;
  const now = new Date();
  const started = performance.now();
  await seedArchive(stores.doc, config.tableName, generateArticles(size, new Date(now.getTime() - 3_600_000)));
  out.seedMs = Math.round(performance.now() - started);
  // Where it got to, for a run that does not end (the parent names the phase it died in).
  console.error('phase: full publish');
  const tableBefore = await bytesUnder(join(dataDir, 'dynamodb'));
  out.direct = await publishInChild({ config, s3: config.endpoints.s3!, now: now.toISOString(), concurrency: 16 });
  // What the publish left in dynalite's files: the manifest's writes show here (leveldb keeps each version until it compacts).
  out.tableGrowth = (await bytesUnder(join(dataDir, 'dynamodb'))) - tableBefore;
  console.error('phase: publishes through the latency proxy');
  const proxy = await startLatencyProxy(config.endpoints.s3!, latencyMs);
  const latent: unknown[] = [];
  for (const concurrency of concurrencies) {
    const before = proxy.requests();
    const run = await publishInChild({ config, s3: proxy.endpoint, now: now.toISOString(), concurrency });
    latent.push({ concurrency, ...run, s3Requests: proxy.requests() - before });
  }
  out.latent = latent;
  await proxy.close();
  if (bundleConcurrency > 0) {
    console.error('phase: the deployed bundle, fanned out');
    out.bundle = await publishThroughBundle({ config, runs: stores.runs, doc: stores.doc, concurrency: bundleConcurrency });
  }
} finally {
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
