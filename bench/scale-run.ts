/**
 * One size of `npm run bench:scale`, in a process of its own so its peak memory is its own:
 * an archive of N generated articles imported into the local stack (not timed), then a full
 * publish straight to s3rver, then full publishes through a proxy adding `latencyMs` to every
 * S3 request, at each write concurrency asked for. Prints one line of JSON.
 *
 *   node --import tsx bench/scale-run.ts <articles> <latencyMs> <concurrency,concurrency,…>
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapWithConcurrency } from '../functions/core/concurrency.js';
import { S3RVER_CREDENTIALS } from '../functions/local/s3rver.js';
import { startLocalStack } from '../functions/wiring/local.js';
import { createPublishing, createSiteBucket } from '../functions/wiring/publishing.js';
import { generateArticles } from './generate-articles.js';
import { startLatencyProxy } from './support/latency-proxy.js';

const [size = 10_000, latencyMs = 15] = process.argv.slice(2, 4).map(Number);
const concurrencies = (process.argv[4] ?? '16,64').split(',').map(Number);

let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
const sampler = setInterval(sample, 50);
const peakDuring = async <T>(run: () => Promise<T>): Promise<{ result: T; ms: number; peakRss: number; cpuMs: number }> => {
  peak = process.memoryUsage().rss;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await run();
  sample();
  const used = process.cpuUsage(cpu);
  return { result, ms: performance.now() - started, peakRss: peak, cpuMs: (used.user + used.system) / 1000 };
};

const dataDir = await mkdtemp(join(tmpdir(), 'pressrun-scale-'));
const stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_BUCKET: 'scale-site' }, port: 8787 });
const out: Record<string, unknown> = { size, latencyMs };
console.error('phase: import');
try {
  const { stores, publishing, config } = stack;
  const now = new Date();
  const imported = await peakDuring(async () => {
    await mapWithConcurrency(
      generateArticles(size, new Date(now.getTime() - 3_600_000)),
      32,
      async (a) => void (await stores.articles.create(a)),
    );
    await stores.articles.clearChanges(await stores.articles.pendingChanges());
  });
  out.importMs = Math.round(imported.ms);
  // Where it got to, for a run that does not end (the parent names the phase it died in).
  console.error('phase: full publish');
  const direct = await peakDuring(() => publishing.publish({ now, full: true }));
  console.error('phase: publishes through the latency proxy');
  out.direct = {
    ms: Math.round(direct.ms),
    cpuMs: Math.round(direct.cpuMs),
    peakRss: direct.peakRss,
    written: direct.result.written.length,
  };

  const proxy = await startLatencyProxy(config.endpoints.s3!, latencyMs);
  const template = await readFile(new URL('../templates/digest.mjml', import.meta.url), 'utf8');
  const latent: unknown[] = [];
  for (const concurrency of concurrencies) {
    const bucket = createSiteBucket({ ...config, endpoints: { ...config.endpoints, s3: proxy.endpoint } }, S3RVER_CREDENTIALS);
    const throughProxy = createPublishing(config.site, { ...stores, objects: bucket.objects }, { digestTemplate: template, concurrency });
    const before = proxy.requests();
    const run = await peakDuring(() => throughProxy.publish({ now, full: true }));
    latent.push({
      concurrency,
      ms: Math.round(run.ms),
      peakRss: run.peakRss,
      written: run.result.written.length,
      s3Requests: proxy.requests() - before,
    });
    bucket.s3.destroy();
  }
  out.latent = latent;
  await proxy.close();
} finally {
  clearInterval(sampler);
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
