/**
 * `npm run bench`: publish cost against archive size, measured in one run against the local
 * stack (s3rver + dynalite), with a bare loop of PUTs of the same objects as the reference.
 *
 *   full        every output of an archive, into an empty bucket (the archive was imported
 *               beforehand; seeding is not timed)
 *   add one     a publish after one new article
 *   unchanged   a publish with nothing changed
 *   bare PUTs   the objects of the full publish, PUT one by one at the same concurrency
 *   validate    the validation gate alone over every feed the full publish wrote (its share of "full")
 *   full, 1 bad a full publish again after one stored article broke a rule of the feeds (the gate
 *               leaves it out, builds again without it, and publishes the rest)
 *
 * Targets (issue #2): add-one at 10,000 ≤ 2× add-one at 100; full at 10,000 ≤ 1.5× bare PUTs.
 * Sizes can be chosen: `npm run bench -- 100 1000`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../functions/core/concurrency.js';
import { assertValidFeeds, feedFormatOf } from '../functions/core/feeds/validate/validate-feeds.js';
import { startLocalStack } from '../functions/wiring/local.js';
import { generateArticles } from './generate-articles.js';

const CONCURRENCY = 16;
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
}

async function benchArchive(size: number): Promise<Row[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressrun-bench-'));
  const stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_BUCKET: 'bench-site' }, port: 8787 });
  const { stores, publishing } = stack;
  try {
    const now = new Date();
    const articles = generateArticles(size, new Date(now.getTime() - 3_600_000));
    await mapWithConcurrency(articles, CONCURRENCY, async (a) => void (await stores.articles.create(a)));
    await stores.articles.clearChanges(await stores.articles.pendingChanges());

    const rows: Row[] = [];
    const timed = async (step: string, run: () => Promise<{ written: number }>) => {
      const started = performance.now();
      const { written } = await run();
      rows.push({ size, step, written, ms: performance.now() - started });
    };

    await timed('full', async () => ({ written: (await publishing.publish({ now, full: true })).written.length }));
    // The reference PUTs exactly what the full publish wrote, read back before anything else changes.
    const objects = await readBucket(stack.stores.s3, stack.config.bucketName);
    // The validation gate's share of the full publish: the same check, alone, over every feed it wrote.
    await timed('validate', async () => {
      const feeds = objects
        .filter((o) => feedFormatOf(o.contentType ?? '') !== undefined)
        .map((o) => ({ key: o.key, body: o.body, contentType: o.contentType!, cacheControl: o.cacheControl ?? '' }));
      assertValidFeeds(feeds, { site: stack.config.site, now });
      return { written: feeds.length };
    });
    const [extra] = generateArticles(1, new Date(now.getTime() + 1000), 2);
    await stores.articles.create(extra!);
    await timed('add one', async () => ({ written: (await publishing.publish({ now: new Date(now.getTime() + 2000) })).written.length }));
    await timed('unchanged', async () => ({ written: (await publishing.publish({ now: new Date(now.getTime() + 3000) })).written.length }));
    // Stored as an older version might have: content with a relative image, which the gate refuses.
    const [bad] = generateArticles(1, new Date(now.getTime() - 7_200_000), 3);
    await stores.articles.create({ ...bad!, html: '<p><img src="/relative.jpg" alt="Relative"></p>' });
    await timed('full, 1 bad', async () => {
      const report = await publishing.publish({ now: new Date(now.getTime() + 4000), full: true });
      if (report.leftOut?.length !== 1) throw new Error(`expected one article left out, got ${JSON.stringify(report.leftOut)}`);
      return { written: report.written.length };
    });

    await timed('bare PUTs', () => barePuts(stores.s3, objects));
    return rows;
  } finally {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The reference: the same objects, PUT by a bare loop at the same concurrency into a bucket of their own. */
async function barePuts(s3: S3Client, objects: Awaited<ReturnType<typeof readBucket>>): Promise<{ written: number }> {
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-reference' }));
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
  const objects: Array<{ key: string; body: string; contentType?: string; cacheControl?: string }> = [];
  await mapWithConcurrency(keys, CONCURRENCY, async (key) => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    objects.push({ key, body: await got.Body!.transformToString(), contentType: got.ContentType, cacheControl: got.CacheControl });
  });
  return objects;
}

const all: Row[] = [];
for (const size of SIZES) {
  const rows = await benchArchive(size);
  all.push(...rows);
  for (const r of rows)
    console.log(
      `${String(r.size).padStart(6)} articles  ${r.step.padEnd(10)} ${String(r.written).padStart(6)} objects  ${r.ms.toFixed(0).padStart(7)} ms`,
    );
}

const find = (size: number, step: string) => all.find((r) => r.size === size && r.step === step);
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
  console.log(`add one at ${largest} / add one at ${smallest}: ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? 'met' : 'NOT met'}`);
}
if (full && bare) {
  const ratio = full.ms / bare.ms;
  console.log(
    `full publish at ${largest} / bare PUTs of the same ${bare.written} objects: ${ratio.toFixed(2)}× (target ≤ 1.5×) ${ratio <= 1.5 ? 'met' : 'NOT met'}`,
  );
}
if (full && oneBad) {
  console.log(
    `full publish at ${largest} with one article breaking a rule: ${oneBad.ms.toFixed(0)} ms, ${(oneBad.ms / full.ms).toFixed(2)}× the full publish; the rest published (${oneBad.written} objects written)`,
  );
}
