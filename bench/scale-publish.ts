/**
 * The publish as the deployed function runs it: a process of its own, its heap limited to the
 * function's memory, talking over HTTP to the stores another process holds (as Lambda talks to
 * S3 and DynamoDB), so its peak RSS is the publish's alone. Prints one line of JSON.
 *
 *   node --max-old-space-size=1024 --import tsx bench/scale-publish.ts   (input: SCALE_PUBLISH, JSON)
 */
import { readFile } from 'node:fs/promises';
import type { AppConfig } from '../functions/config.js';
import { DynamoArticleStore } from '../functions/adapters/dynamo-article-store.js';
import { DynamoDigestStore } from '../functions/adapters/dynamo-digest-store.js';
import { DynamoManifestStore } from '../functions/adapters/dynamo-manifest-store.js';
import { DynamoPublishRunStore } from '../functions/adapters/dynamo-publish-run-store.js';
import { S3RVER_CREDENTIALS } from '../functions/local/s3rver.js';
import { createPublishing, createSiteBucket } from '../functions/wiring/publishing.js';
import { createTableStores } from '../functions/wiring/table-stores.js';

const input = JSON.parse(process.env.SCALE_PUBLISH!) as { config: AppConfig; s3: string; now: string; concurrency: number };
const config = { ...input.config, endpoints: { ...input.config.endpoints, s3: input.s3 } };

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const stores = createTableStores(
  config,
  { articles: DynamoArticleStore, manifest: DynamoManifestStore, runs: DynamoPublishRunStore, digests: DynamoDigestStore },
  S3RVER_CREDENTIALS,
);
const bucket = createSiteBucket(config, S3RVER_CREDENTIALS);
const template = await readFile(new URL('../templates/digest.mjml', import.meta.url), 'utf8');
const publishing = createPublishing(
  config.site,
  { ...stores, objects: bucket.objects },
  { digestTemplate: template, concurrency: input.concurrency },
);

const started = performance.now();
const cpu = process.cpuUsage();
const report = await publishing.publish({ now: new Date(input.now), full: true });
const used = process.cpuUsage(cpu);
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
bucket.s3.destroy();
stores.doc.destroy();
console.log(
  JSON.stringify({
    ms: Math.round(ms),
    cpuMs: Math.round((used.user + used.system) / 1000),
    peakRss: peak,
    written: report.written.length,
  }),
);
