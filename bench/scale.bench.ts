/**
 * `npm run bench:scale`: a full publish as the archive grows, each size in a process of its own
 * (bench/scale-run.ts), with its peak memory (RSS, sampled every 50 ms), the objects it wrote,
 * and the same publish through a proxy adding 15 ms to every S3 request (S3's own latency,
 * where s3rver answers in about 1 ms) at several write concurrencies; then what a publish of
 * 1,000,000 articles would take at the measured rate. Last, the same full publish as the cloud
 * runs it: the deployed bundle's publish function, then each chunk in an invocation of the chunk
 * function, every invocation a process with its function's memory as the heap limit
 * (bench/support/bundled-publish.ts).
 *
 *   npm run bench:scale                         10,000 and 100,000 articles
 *   BENCH_SCALE_SIZES=10000 npm run bench:scale one size
 *   BENCH_SCALE_CONCURRENCY=16,64,128 BENCH_SCALE_LATENCY_MS=15
 *   BENCH_SCALE_CHUNKS_AT_ONCE=2                chunk invocations at once (0 leaves the bundle out)
 *   BENCH_SCALE_JSON=results.json               every figure measured, written to that file
 *
 * The target is a peak under 512 MB at both sizes: the publish streams the archive
 * (core/publish/full-publish.ts), so its memory should not grow with it. A size that runs out of
 * memory is reported as such, with the phase it ended in.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ARTICLES_PER_SWEEP, SWEEP_CHUNKS } from '../functions/core/publish/fan-out-finishing.js';
import type { BundledPublish } from './support/bundled-publish.js';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '10000,100000').split(',').map(Number);
const LATENCY_MS = Number(process.env.BENCH_SCALE_LATENCY_MS ?? 15);
const CONCURRENCY = process.env.BENCH_SCALE_CONCURRENCY ?? '16,64,128';
/** Two cores here: more chunk invocations at once than that only queue for them. */
const CHUNKS_AT_ONCE = process.env.BENCH_SCALE_CHUNKS_AT_ONCE ?? '2';
const MEMORY_TARGET = 512 * 1024 * 1024;
/** The deployed publish function's memory and timeout (cdk/constructs/publish-function.ts). */
const FUNCTION_MEMORY_MB = 1024;
const CHUNK_MS = 2 * 60_000;
/** The publish function's timeout, which its start (planning the chunks) runs within (PUBLISH_TIMEOUT_MS). */
const START_MS = 10 * 60_000;
const MILLION = 1_000_000;
/** A chunk of the fanned-out publish: 20 pages of the site's archive of 50 articles (core/publish/fan-out.ts). */
const ARTICLES_A_CHUNK = 1_000;
/** Chunk invocations at once (cdk/constructs/publish-chunks-function.ts). */
const CHUNK_CONCURRENCY = 8;

interface Measured {
  size: number;
  seedMs: number;
  /** How much dynalite's files grew during the full publish. */
  tableGrowth: number;
  direct: { ms: number; cpuMs: number; peakRss: number; written: number };
  latent: Array<{ concurrency: number; ms: number; peakRss: number; written: number; s3Requests: number }>;
  bundle?: BundledPublish;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (label: string, value: string, note = '') => console.log(`${label.padEnd(46)} ${value.padStart(12)}  ${note}`);

async function measure(size: number): Promise<Measured | { size: number; failed: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      // The stores' process; each publish runs in a child of it with the function's memory as its heap (scale-run.ts).
      ['--openssl-legacy-provider', '--import', 'tsx', 'bench/scale-run.ts', String(size), String(LATENCY_MS), CONCURRENCY, CHUNKS_AT_ONCE],
      { cwd: new URL('..', import.meta.url).pathname, maxBuffer: 1 << 24, timeout: 60 * 60_000 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const reason = /heap out of memory|Allocation failed/i.test(stderr ?? '')
      ? `ran out of memory with a ${FUNCTION_MEMORY_MB} MB heap`
      : message.split('\n')[0]!;
    // The last phase the run announced is where it ended.
    const phase = [...(stderr ?? '').matchAll(/^phase: (.+)$/gm)].at(-1)?.[1] ?? 'its start';
    return { size, failed: `${reason}, in: ${phase}` };
  }
}

const results: Array<Measured | { size: number; failed: string }> = [];
for (const size of SIZES) results.push(await measure(size));
// Every figure measured, for a closer look than the summary below (each invocation of the bundle's run, say).
if (process.env.BENCH_SCALE_JSON) await writeFile(process.env.BENCH_SCALE_JSON, JSON.stringify(results, null, 2));

console.log(`\nScale: full publish by archive size (heap limited to ${FUNCTION_MEMORY_MB} MB, as the publish function)`);
for (const result of results) {
  const size = result.size.toLocaleString('en');
  if ('failed' in result) {
    row(`${size} articles`, 'FAILED', result.failed);
    continue;
  }
  const { direct } = result;
  row(`${size} articles: seeded into the table (not timed below)`, s(result.seedMs));
  row(`  full publish, s3rver direct`, s(direct.ms), `${direct.written.toLocaleString('en')} objects, CPU ${s(direct.cpuMs)}`);
  row(
    `  peak RSS`,
    mb(direct.peakRss),
    direct.peakRss <= MEMORY_TARGET ? 'ok (target ≤ 512 MB)' : `OVER the 512 MB target (${(direct.peakRss / MEMORY_TARGET).toFixed(1)}×)`,
  );
  row(`  DynamoDB (dynalite) files grew by`, mb(result.tableGrowth), 'during the full publish');
  for (const latent of result.latent) {
    row(
      `  +${LATENCY_MS} ms per S3 request, concurrency ${latent.concurrency}`,
      s(latent.ms),
      `peak RSS ${mb(latent.peakRss)}, ${latent.s3Requests.toLocaleString('en')} requests`,
    );
  }
  const best = [...result.latent].sort((a, b) => a.ms - b.ms)[0];
  if (best) row(`  fastest concurrency under latency`, String(best.concurrency), `${s(best.ms)}`);
  if (result.bundle) printBundle(result.bundle, direct.written);
}

/** The fanned-out publish through the deployed bundle: its invocations' slowest time and largest memory. */
function printBundle(bundle: BundledPublish, expected: number) {
  const invocations = [bundle.start, ...bundle.chunks];
  const slowest = Math.max(...bundle.chunks.map((c) => c.ms));
  const largest = Math.max(...invocations.map((i) => i.peakRssBytes));
  row(
    `  deployed bundle, fanned out (${CHUNKS_AT_ONCE} at once)`,
    s(bundle.ms),
    `run ${bundle.status}, ${bundle.written.toLocaleString('en')} objects${bundle.written === expected ? '' : ` (direct wrote ${expected.toLocaleString('en')})`}, ${invocations.length} invocations`,
  );
  row(`    its start (publish function)`, s(bundle.start.ms), `CPU ${s(bundle.start.cpuMs)}, peak RSS ${mb(bundle.start.peakRssBytes)}`);
  row(`    slowest chunk (chunk function)`, s(slowest), slowest <= CHUNK_MS ? 'ok (target ≤ 2 minutes)' : 'OVER the 2-minute target');
  row(
    `    largest invocation, peak RSS`,
    mb(largest),
    `${largest <= MEMORY_TARGET ? 'ok (target ≤ 512 MB)' : 'OVER the 512 MB target'}, heap limit ${bundle.heapMb} MB`,
  );
  const heaviest = [...invocations].sort((a, b) => b.ms - a.ms).slice(0, 5);
  for (const i of heaviest) row(`      ${i.label}`, s(i.ms), `CPU ${s(i.cpuMs)}, peak RSS ${mb(i.peakRssBytes)}`);
}

// A million articles, from the largest size measured: the fanned-out publish's chunks (core/publish/fan-out.ts),
// each about 1,000 articles' pages, 8 at once (cdk/constructs/publish-chunks-function.ts), at the rate measured here.
const largest = results.filter((r): r is Measured => !('failed' in r)).sort((a, b) => b.size - a.size)[0];
if (largest) {
  const best = [...largest.latent].sort((a, b) => a.ms - b.ms)[0] ?? { ms: largest.direct.ms, written: largest.direct.written };
  const objectsPerArticle = best.written / largest.size;
  const msPerObject = best.ms / best.written;
  const objects = Math.round(objectsPerArticle * MILLION);
  const chunkObjects = objectsPerArticle * ARTICLES_A_CHUNK;
  const chunks = Math.ceil(objects / chunkObjects);
  const chunkS = (chunkObjects * msPerObject) / 1000;
  const wallS = (objects * msPerObject) / CHUNK_CONCURRENCY / 1000;
  const rate = largest.latent.length > 0 ? `under ${LATENCY_MS} ms of latency` : 'straight to s3rver';
  console.log(
    `\n1,000,000 articles, at the rate measured at ${largest.size.toLocaleString('en')} ${rate} (${msPerObject.toFixed(1)} ms an object): about ${objects.toLocaleString('en')} objects in about ${chunks.toLocaleString('en')} chunks of ${ARTICLES_A_CHUNK.toLocaleString('en')} articles' pages, each about ${chunkS.toFixed(0)} s (within ${CHUNK_MS / 60_000} minutes), ${CHUNK_CONCURRENCY} at once: about ${(wallS / 60).toFixed(0)} minutes, then the finish (home, feeds, sitemap index, digests); ${((objects * msPerObject) / 3_600_000).toFixed(1)} h in one process`,
  );
  if (largest.bundle) printMillionFromBundle(largest.bundle, largest.size);
}

/**
 * A million articles from the deployed bundle's run: the chunks of the archive, more of them, at
 * their median time; the slowest sweep grown with the share of the manifest each sweep takes on
 * at a million; the start, the strays' sweep and the finish grown linearly with the archive, as
 * upper bounds (the finish reads every chunk's record, not the archive); the tops as measured.
 */
function printMillionFromBundle(bundle: BundledPublish, size: number) {
  const scale = MILLION / size;
  const timed = (label: RegExp) => bundle.chunks.filter((c) => label.test(c.label)).map((c) => c.ms);
  const archive = timed(/^chunk (site|open|tag)/).sort((a, b) => a - b);
  const median = archive[Math.floor(archive.length / 2)] ?? 0;
  const chunks = Math.round(archive.length * scale);
  const sum = (values: number[]) => values.reduce((total, ms) => total + ms, 0);
  const [start, finish] = [bundle.start.ms * scale, sum(timed(/^finish/)) * scale];
  // The tops build each tag's latest and the digests: their work grows with the tags and digests, not the articles.
  const tops = sum(timed(/^chunk tops/));
  // A million is swept by more chunks than the run measured, each taking on the same share or less (fan-out-finishing.ts).
  const sweeps = timed(/^chunk sweep-/);
  const sweepsAtAMillion = Math.min(SWEEP_CHUNKS, Math.ceil(MILLION / ARTICLES_PER_SWEEP));
  const sweep = (Math.max(0, ...sweeps) * scale * sweeps.length) / sweepsAtAMillion;
  const strayTries = timed(/^chunk strays/);
  const strays = sum(strayTries) * scale;
  const total = start + (chunks * median) / CHUNK_CONCURRENCY + tops + sweep + strays + finish;
  const limit = (ms: number, within: number) =>
    ms <= within ? `within its ${within / 60_000} minutes` : `PAST its ${within / 60_000} minutes: it must be cut up too`;
  console.log(
    `From the deployed bundle's run at ${size.toLocaleString('en')}: about ${chunks.toLocaleString('en')} chunk invocations of about ${s(median)} (the median of ${archive.length}), ${CHUNK_CONCURRENCY} at once; at a million its start about ${s(start)} (${limit(start, START_MS)}), the tops ${s(tops)} as measured (they grow with the tags and the digests, not the articles), the slowest sweep ${s(sweep)} (${limit(sweep, CHUNK_MS)}), ${strayTries.length > 0 ? `the strays' sweep ${s(strays)} in tries of ${s(Math.max(...strayTries))}, ` : ''}the finish ${s(finish)} (${limit(finish, CHUNK_MS)}): about ${(total / 60_000).toFixed(0)} minutes in all`,
  );
}
