/**
 * `npm run bench`: publish cost against archive size, measured in one run against the local
 * stack (s3rver + dynalite), with a bare loop of PUTs of the same objects as the reference.
 *
 *   full        every output of an archive (seeded beforehand straight into the table, as the
 *               store lays it out: not timed), then again, interleaved with the bare PUTs: ROUNDS
 *               of each, alternating, so load from anything else on the machine falls on both alike
 *   add one     a publish after one new article, ADD_ROUNDS times (each after an article of its own)
 *   unchanged   a publish with nothing changed
 *   bare PUTs   the objects of the full publish, PUT one by one at the same concurrency
 *   validate    the validation gate alone over every feed the full publish wrote (its share of "full")
 *   full, 1 bad a full publish again after one stored article broke a rule of the feeds (the gate
 *               leaves it out, builds again without it, and publishes the rest)
 *
 * Each timed step reports wall time and the process's CPU time (s3rver and dynalite run in this
 * process, so their work counts too); full and bare PUTs as the median of their rounds with the
 * spread (lowest–highest).
 *
 * Targets: add-one at 10,000 ≤ 2× add-one at 100 (medians); full at 10,000 ≤ 1.2× bare PUTs (median).
 * Sizes can be chosen: `npm run bench -- 100 1000`; rounds with BENCH_PUBLISH_ROUNDS (default 3) and
 * BENCH_ADD_ROUNDS (default 5).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../functions/core/concurrency.js';
import { assertValidFeeds, feedFormatOf } from '../functions/core/feeds/validate/validate-feeds.js';
import { startLocalStack } from '../functions/wiring/local.js';
import { generateArticles } from './generate-articles.js';
import { seedArchive } from './support/seed-archive.js';

const CONCURRENCY = 16;
const ROUNDS = Math.max(1, Number(process.env.BENCH_PUBLISH_ROUNDS ?? 3));
/** Publishes after one new article, at each size: the median is compared. */
const ADD_ROUNDS = Math.max(1, Number(process.env.BENCH_ADD_ROUNDS ?? 5));
const FULL_TARGET = 1.2;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [100, 1_000, 10_000];

interface Row {
  size: number;
  step: string;
  written: number;
  ms: number;
  cpuMs: number;
}

async function benchArchive(size: number): Promise<Row[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressrun-bench-'));
  const stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_BUCKET: 'bench-site' }, port: 8787 });
  const { stores, publishing } = stack;
  try {
    const now = new Date();
    await seedArchive(stores.doc, stack.config.tableName, generateArticles(size, new Date(now.getTime() - 3_600_000)));

    const rows: Row[] = [];
    const timed = async (step: string, run: () => Promise<{ written: number }>) => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const { written } = await run();
      const used = process.cpuUsage(cpu);
      rows.push({ size, step, written, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
    };
    // Every object's body, read back as the bare PUTs' reference, is hundreds of MB at 10,000: left
    // behind before the incremental publishes, whose time it would swell with garbage collection.
    await fullAgainstBare(stack, now, timed);
    const after = await incrementalRounds(stack, now, timed);
    // Stored as an older version might have: content with a relative image, which the gate refuses.
    const [bad] = generateArticles(1, new Date(now.getTime() - 7_200_000), 3);
    await stores.articles.create({ ...bad!, html: '<p><img src="/relative.jpg" alt="Relative"></p>' });
    await timed('full, 1 bad', async () => {
      const report = await publishing.publish({ now: new Date(after + 1000), full: true });
      if (report.leftOut?.length !== 1) throw new Error(`expected one article left out, got ${JSON.stringify(report.leftOut)}`);
      return { written: report.written.length };
    });
    return rows;
  } finally {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

type Timed = (step: string, run: () => Promise<{ written: number }>) => Promise<void>;

/** The full publish against bare PUTs of what it wrote, ROUNDS of each interleaved, then the gate alone over its feeds. */
async function fullAgainstBare(stack: Awaited<ReturnType<typeof startLocalStack>>, now: Date, timed: Timed): Promise<void> {
  const { stores, publishing } = stack;
  const full = async () => ({ written: (await publishing.publish({ now, full: true })).written.length });

  await timed('full', full);
  // The reference PUTs exactly what the full publish wrote, read back before anything else changes.
  const objects = await readBucket(stack.stores.s3, stack.config.bucketName);
  await stores.s3.send(new CreateBucketCommand({ Bucket: 'bench-reference' }));
  await timed('bare PUTs', () => barePuts(stores.s3, objects));
  for (let round = 2; round <= ROUNDS; round++) {
    await timed('full', full);
    await timed('bare PUTs', () => barePuts(stores.s3, objects));
  }
  // The validation gate's share of the full publish: the same check, alone, over every feed it wrote.
  await timed('validate', async () => {
    const feeds = objects
      .filter((o) => feedFormatOf(o.contentType ?? '') !== undefined)
      .map((o) => ({ key: o.key, body: o.body.toString('utf8'), contentType: o.contentType!, cacheControl: o.cacheControl ?? '' }));
    assertValidFeeds(feeds, { site: stack.config.site, now });
    return { written: feeds.length };
  });
}

/**
 * Publishes after one new article, ADD_ROUNDS times (one publish of a few hundred ms is at the
 * mercy of the machine's moment), then one with nothing changed; returns when the last was.
 */
async function incrementalRounds({ stores, publishing }: Awaited<ReturnType<typeof startLocalStack>>, now: Date, timed: Timed) {
  for (let round = 1; round <= ADD_ROUNDS; round++) {
    const [extra] = generateArticles(1, new Date(now.getTime() + round * 2000 - 1000), 10 + round);
    await stores.articles.create(extra!);
    await timed('add one', async () => ({
      written: (await publishing.publish({ now: new Date(now.getTime() + round * 2000) })).written.length,
    }));
  }
  const after = now.getTime() + (ADD_ROUNDS + 1) * 2000;
  await timed('unchanged', async () => ({ written: (await publishing.publish({ now: new Date(after) })).written.length }));
  return after;
}

/** The reference: the same objects, PUT by a bare loop at the same concurrency into a bucket of their own. */
async function barePuts(s3: S3Client, objects: Awaited<ReturnType<typeof readBucket>>): Promise<{ written: number }> {
  await mapWithConcurrency(objects, CONCURRENCY, async (o) => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'bench-reference',
        Key: o.key,
        Body: o.body,
        ContentType: o.contentType,
        CacheControl: o.cacheControl,
      }),
    );
  });
  return { written: objects.length };
}

async function readBucket(s3: S3Client, bucket: string) {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  // Bytes outside the JavaScript heap: the full publishes between the bare rounds must not mark them
  // at every garbage collection, as they would hundreds of MB of strings.
  const objects: Array<{ key: string; body: Buffer; contentType?: string; cacheControl?: string }> = [];
  await mapWithConcurrency(keys, CONCURRENCY, async (key) => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    objects.push({ key, body, contentType: got.ContentType, cacheControl: got.CacheControl });
  });
  return objects;
}

const all: Row[] = [];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** One line per step: the median of its rounds, and the spread when it ran more than once. */
function summarize(rows: Row[]): Row & { rounds: number; low: number; high: number } {
  const ms = rows.map((r) => r.ms);
  return {
    ...rows[0]!,
    ms: median(ms),
    cpuMs: median(rows.map((r) => r.cpuMs)),
    rounds: rows.length,
    low: Math.min(...ms),
    high: Math.max(...ms),
  };
}
const summaries: Array<ReturnType<typeof summarize>> = [];
for (const size of SIZES) {
  const rows = await benchArchive(size);
  all.push(...rows);
  for (const step of [...new Set(rows.map((r) => r.step))]) {
    const r = summarize(rows.filter((row) => row.step === step));
    summaries.push(r);
    const spread = r.rounds > 1 ? `  (median of ${r.rounds}: ${r.low.toFixed(0)}–${r.high.toFixed(0)} ms)` : '';
    console.log(
      `${String(r.size).padStart(6)} articles  ${r.step.padEnd(11)} ${String(r.written).padStart(6)} objects  ${r.ms.toFixed(0).padStart(7)} ms  ${r.cpuMs.toFixed(0).padStart(7)} ms CPU${spread}`,
    );
  }
}

const find = (size: number, step: string) => summaries.find((r) => r.size === size && r.step === step);
const smallest = Math.min(...SIZES);
const largest = Math.max(...SIZES);
const addSmall = find(smallest, 'add one');
const addLarge = find(largest, 'add one');
const full = find(largest, 'full');
const bare = find(largest, 'bare PUTs');
const oneBad = find(largest, 'full, 1 bad');
console.log('');
if (addSmall && addLarge && largest !== smallest) {
  const ratio = addLarge.ms / addSmall.ms;
  console.log(
    `add one at ${largest} / add one at ${smallest}: ${ratio.toFixed(2)}× medians of ${addLarge.rounds} (target ≤ 2×) ${ratio <= 2 ? 'met' : 'NOT met'}`,
  );
}
if (full && bare) {
  // Each round's full publish against the bare PUTs that followed it: the spread of the ratio itself.
  const fulls = all.filter((r) => r.size === largest && r.step === 'full');
  const bares = all.filter((r) => r.size === largest && r.step === 'bare PUTs');
  const ratios = fulls.map((f, i) => f.ms / bares[i]!.ms);
  const ratio = median(ratios);
  console.log(
    `full publish at ${largest} / bare PUTs of the same ${bare.written} objects: ${ratio.toFixed(2)}× median of ${ratios.length} interleaved rounds (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×; CPU ${(full.cpuMs / bare.cpuMs).toFixed(2)}×) (target ≤ ${FULL_TARGET}×) ${ratio <= FULL_TARGET ? 'met' : 'NOT met'}`,
  );
}
if (full && oneBad) {
  console.log(
    `full publish at ${largest} with one article breaking a rule: ${oneBad.ms.toFixed(0)} ms, ${(oneBad.ms / full.ms).toFixed(2)}× the full publish; the rest published (${oneBad.written} objects written)`,
  );
}
