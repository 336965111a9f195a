/**
 * `npm run bench:send-plan`: planning a digest's send as the archive of readers grows, on
 * dynalite (the DynamoDB stand-in, in this process: its work counts in every figure), in one
 * process (as the API once did, and as `npm start` still does), and in 16 segments handed out
 * by the start and planned by workers (as the send worker plans it in the cloud; here, up to
 * 16 at once in this process, sharing its one core with dynalite). Then the plan of a send to
 * 1,000,000 readers, from the rate measured at the largest size.
 *
 *   BENCH_PLAN_SIZES=10000,30000,100000 (default)
 *
 * Readers all take the digest (the site's cadence, all topics, summary): each is read, given a
 * mark, and put in a batch of 50; the reader-choices bench measures the grouping when they choose.
 */
import { readFile } from 'node:fs/promises';
import { createDocumentClient } from '../functions/adapters/aws-clients.js';
import { ensureTable } from '../functions/adapters/dynamo-table.js';
import { mapWithConcurrency } from '../functions/core/concurrency.js';
import { planSegment } from '../functions/core/delivery/plan-segments.js';
import { PLAN_SEGMENTS, segmentRange } from '../functions/core/delivery/segments.js';
import { startDigestSend, type StartSendDeps } from '../functions/core/delivery/start-send.js';
import { renderDigest } from '../functions/core/digest/render-digest.js';
import { startDynalite } from '../functions/local/dynalite.js';
import { roundDeps } from '../functions/wiring/delivery.js';
import { ALL_TABLE_STORES, tableStoresOn } from '../functions/wiring/table-stores.js';
import { generateArticles } from './generate-articles.js';
import { countWrites } from './support/count-writes.js';
import { site } from './support/fixtures.js';
import { seedReaders } from './support/seed-readers.js';

const SIZES = (process.env.BENCH_PLAN_SIZES ?? '10000,30000,100000').split(',').map(Number);
const AT = new Date('2025-06-02T19:00:00.000Z');
const CONFIRMED = new Date(AT.getTime() - 10 * 86_400_000).toISOString();
const MILLION = 1_000_000;
/** The send worker: its timeout, and how many of its invocations the send queue runs at once (cdk/constructs/send-worker.ts). */
const WORKER_TIMEOUT_S = 120;
const WORKER_CONCURRENCY = 2;
/** SES sending rates an account may have (messages a second): a new production account starts at 14. */
const SES_RATES = [14, 50, 200, 1_000];

const template = await readFile(new URL('../templates/digest.mjml', import.meta.url), 'utf8');
const row = (label: string, value: string, note = '') => console.log(`${label.padEnd(46)} ${value.padStart(12)}  ${note}`);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Measured {
  readers: number;
  wholeMs: number;
  segmentedMs: number;
  slowestSegmentMs: number;
  segmentReaders: number[];
  writes: Map<string, number>;
}

/** A table of its own with `readers` confirmed readers, ten articles whose pages are on the site, and two digests of them. */
async function tableWithReaders(dynalite: { endpoint: string }, readers: number, table: string) {
  const doc = createDocumentClient({
    region: 'us-east-1',
    endpoint: dynalite.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(doc, table);
  const writes = countWrites(doc, table);
  const stores = tableStoresOn(doc, table, ALL_TABLE_STORES);
  const articles = generateArticles(10, new Date(AT.getTime() - 3_600_000));
  for (const article of articles) await stores.articles.create(article);
  await stores.manifest.put(articles.map((a) => ({ key: `articles/${a.slug}/index.html`, value: 'published-by-the-bench' })));
  // Two digests of the same articles: one send planned in one process, the other in segments.
  for (const id of ['2025-06-02-whole', '2025-06-02-segmented'])
    await stores.digests.create(await renderDigest({ site, id, createdAt: AT.toISOString(), articles, template }));
  await seedReaders(doc, table, readers, { confirmedAt: CONFIRMED });
  const rounds = roundDeps(stores, { timeZone: 'UTC', holdMinutes: 10 }, () => Promise.reject(new Error('every reader takes the digest')));
  let ids = 0;
  const deps: StartSendDeps = {
    digests: stores.digests,
    subscribers: stores.subscribers,
    ledger: stores.ledger,
    queue: { enqueue: async () => {} },
    now: () => AT,
    newId: () => `bench-${++ids}`,
    rounds,
  };
  return { doc, writes, stores, deps };
}

async function measure(dynalite: { endpoint: string }, readers: number, table: string): Promise<Measured> {
  const { doc, writes, stores, deps } = await tableWithReaders(dynalite, readers, table);
  const handedOut: number[] = [];
  let started = performance.now();
  await startDigestSend(deps, '2025-06-02-whole');
  const wholeMs = performance.now() - started;

  const before = new Map(writes.byKind);
  const segmented = { ...deps, segments: PLAN_SEGMENTS, planner: { plan: async (_: string, k?: number) => void handedOut.push(k!) } };
  const segmentMs: number[] = [];
  const segmentReaders: number[] = [];
  started = performance.now();
  await startDigestSend(segmented, '2025-06-02-segmented');
  await mapWithConcurrency(handedOut, PLAN_SEGMENTS, async (k) => {
    const t = performance.now();
    const { job } = await planSegment(segmented, '2025-06-02-segmented', k);
    segmentMs[k] = performance.now() - t;
    segmentReaders[k] = job.recipients ?? 0;
  });
  const segmentedMs = performance.now() - started;
  const job = await stores.ledger.getJob('2025-06-02-segmented');
  if (job?.status !== 'queued' || job.recipients !== readers)
    throw new Error(`The segmented send planned ${job?.recipients} of ${readers}`);
  const perSegment = (await stores.ledger.segments('2025-06-02-segmented')).map((segment) => segment.recipients ?? 0);
  doc.destroy();
  return {
    readers,
    wholeMs,
    segmentedMs,
    slowestSegmentMs: Math.max(...segmentMs),
    segmentReaders: perSegment,
    writes: writes.since(before),
  };
}

const dynalite = await startDynalite();
const results: Measured[] = [];
try {
  for (const [i, readers] of SIZES.entries()) results.push(await measure(dynalite, readers, `pressrun-plan-${i}`));
} finally {
  await dynalite.close();
}

console.log(`\nPlanning a send (a digest's, every reader on the digest), on dynalite in this process`);
for (const m of results) {
  const per10k = (ms: number) => `${(((ms / m.readers) * 10_000) / 1000).toFixed(2)} s per 10,000`;
  console.log(`${m.readers.toLocaleString('en')} readers`);
  row('  in one process', s(m.wholeMs), per10k(m.wholeMs));
  row(
    `  in ${PLAN_SEGMENTS} segments, up to ${PLAN_SEGMENTS} at once`,
    s(m.segmentedMs),
    `${per10k(m.segmentedMs)}; ${(m.segmentedMs / m.wholeMs).toFixed(2)}× one process (here the segments share this process's core with dynalite; in the cloud each is a worker invocation)`,
  );
  row(
    '  slowest segment',
    s(m.slowestSegmentMs),
    `readers a segment: ${Math.min(...m.segmentReaders)} to ${Math.max(...m.segmentReaders)}`,
  );
  const items = [...m.writes.values()].reduce((a, b) => a + b, 0);
  row(
    '  DynamoDB items written',
    items.toLocaleString('en'),
    [...m.writes].map(([kind, n]) => `${kind} ${n.toLocaleString('en')}`).join(', '),
  );
}

// A million readers: each segment is what one worker invocation plans, at the rate one process planned the largest size.
const largest = results.at(-1);
if (largest) {
  const msPerReader = largest.wholeMs / largest.readers;
  const perSegment = MILLION / PLAN_SEGMENTS;
  const segmentS = (msPerReader * perSegment) / 1000;
  const pauses = Math.max(0, Math.ceil(segmentS / (WORKER_TIMEOUT_S - 20)) - 1);
  const planS = Math.ceil(PLAN_SEGMENTS / WORKER_CONCURRENCY) * segmentS;
  const batches = MILLION / 50;
  console.log(
    `\n1,000,000 readers, at the rate planned in one process at ${largest.readers.toLocaleString('en')} (${(msPerReader * 1000).toFixed(0)} µs a reader)`,
  );
  row(
    '  segments',
    String(PLAN_SEGMENTS),
    `${perSegment.toLocaleString('en')} readers each (ids are hashes: even segments; ${segmentRange(0, PLAN_SEGMENTS).before} … as first characters)`,
  );
  row('  one segment, one worker', `${segmentS.toFixed(1)} s`, `${pauses} pause(s) within the worker's ${WORKER_TIMEOUT_S} s timeout`);
  row(
    '  invocations',
    String(1 + PLAN_SEGMENTS * (1 + pauses)),
    `the start, and each segment${pauses ? ' with its pauses' : ''}; then ${batches.toLocaleString('en')} batch messages`,
  );
  row(
    '  planning, end to end',
    `${planS.toFixed(0)} s`,
    `${WORKER_CONCURRENCY} worker invocations at once (the send queue's maximum concurrency)`,
  );
  row(
    '  items written',
    (MILLION + batches + PLAN_SEGMENTS + 1).toLocaleString('en'),
    `marks 1,000,000 (25 a BatchWriteItem), batches ${batches.toLocaleString('en')}, segments ${PLAN_SEGMENTS}, job 1`,
  );
  for (const rate of SES_RATES) {
    const hours = MILLION / rate / 3600;
    row(
      `  sending at ${rate.toLocaleString('en')} a second (SES)`,
      `${hours.toFixed(1)} h`,
      `planning is ${((planS / 3600 / hours) * 100).toFixed(1)} % of it`,
    );
  }
}
