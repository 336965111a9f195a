/**
 * `npm run bench` (reader choices): what planning the sends costs when readers choose their
 * topics, cadence and format, on dynalite (the DynamoDB stand-in, in this process: its work
 * counts in every figure).
 *
 *   readers      BENCH_READERS (default 100,000) confirmed subscribers, generated with a fixed
 *                seed: topics 'all' (40 %) or 1–3 of 20 tags (popular tags more often), cadence
 *                digest 50 %, daily 25 %, weekly 15 %, each 10 % (hours and weekdays spread),
 *                format summary 70 %, full 30 %; all confirmed ten days before the send, with no
 *                marks yet: the first round after they chose, when every reader is due.
 *                Seeded with BatchWriteItem straight into the table, timed apart.
 *   articles     40 over the day before the send (one every 36 minutes), 1–3 tags each, in the
 *                article store; the site's digest carries all 40
 *   sends        the digest's send (startDigestSend: the digest readers) and the round at the
 *                same hour (tickRounds: the daily, weekly and per-article readers), each through
 *                the real planner with renderDigest and templates/digest.mjml as renderContent
 *
 * Printed: the distinct contents and the recipients of each send, renderContent calls (at most
 * one per distinct content) and MJML compiles (a content over the HTML budget compiles again),
 * planning time per 10,000 subscribers (reading the readers, grouping, rendering, offers, marks,
 * ledger batches), DynamoDB items written per recipient (counted on the document client: every
 * item a Put, Update or BatchWriteItem wrote, by kind), and personalization per recipient over
 * the planned recipients and their contents (target ≤ 35 µs).
 */
import { register } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { SendRecipient } from '../functions/core/delivery/ports.js';
import type { Digest } from '../functions/core/digest/ports.js';
import type { Preferences } from '../functions/core/subscribers/preferences.js';

register('./support/count-mjml-hooks.mjs', import.meta.url);
const compiles = () => (globalThis as { __pressrunMjmlCompiles?: number }).__pressrunMjmlCompiles ?? 0;

const { countWrites } = await import('./support/count-writes.js');
const { seedReaders } = await import('./support/seed-readers.js');
const { renderDigest } = await import('../functions/core/digest/render-digest.js');
const { copyMaker } = await import('../functions/core/delivery/recipient-copy.js');
const { startDigestSend, tickRounds } = await import('../functions/core/delivery/start-send.js');
const { roundId } = await import('../functions/core/delivery/round-id.js');
const { mapWithConcurrency } = await import('../functions/core/concurrency.js');
const { createDocumentClient } = await import('../functions/adapters/aws-clients.js');
const { ensureTable } = await import('../functions/adapters/dynamo-table.js');
const { startDynalite } = await import('../functions/local/dynalite.js');
const { ALL_TABLE_STORES, tableStoresOn } = await import('../functions/wiring/table-stores.js');
const { roundDeps } = await import('../functions/wiring/delivery.js');
const { BENCH_TAGS, generateArticles, prng } = await import('./generate-articles.js');

const READERS = Number(process.env.BENCH_READERS ?? 100_000);
const ARTICLES = 40;
const TARGET_US = 35;
const TABLE = 'pressrun-bench';

const { site, mail, tokenSecret } = await import('./support/fixtures.js');
const template = await readFile(new URL('../templates/digest.mjml', import.meta.url), 'utf8');

/** The send's instant (a Monday, 19:00 UTC); the site's time zone is UTC. */
const AT = new Date('2025-06-02T19:00:00.000Z');
const CONFIRMED = new Date(AT.getTime() - 10 * 86_400_000).toISOString();

/** A reader's choices: the weights in the header; tag i is chosen about 1/(i+1) as often as the first. */
function choices(random: () => number): Partial<Preferences> | undefined {
  const weights = BENCH_TAGS.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const tag = () => {
    let r = random() * total;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]!) <= 0) return BENCH_TAGS[i]!;
    return BENCH_TAGS[BENCH_TAGS.length - 1]!;
  };
  const t = random();
  const topics: Preferences['topics'] = t < 0.4 ? 'all' : [...new Set(Array.from({ length: t < 0.75 ? 1 : t < 0.95 ? 2 : 3 }, tag))].sort();
  const c = random();
  const cadence: Preferences['cadence'] = c < 0.5 ? 'digest' : c < 0.75 ? 'daily' : c < 0.9 ? 'weekly' : 'each';
  const format: Preferences['format'] = random() < 0.7 ? 'summary' : 'full';
  const hour = Math.floor(random() * 24);
  const weekday = Math.floor(random() * 7);
  // A reader who never chose has the defaults (every reader, before choices): nothing stored.
  if (topics === 'all' && cadence === 'digest' && format === 'summary') return undefined;
  return { topics, cadence, format, hour, weekday };
}

function timePerCall(count: number, run: (i: number) => unknown): number {
  for (let i = 0; i < 2_000; i++) run(i);
  const started = performance.now();
  for (let i = 0; i < count; i++) run(i);
  return ((performance.now() - started) * 1000) / count;
}

// The table on dynalite, and every item the document client writes counted by kind.
const dynalite = await startDynalite();
const doc = createDocumentClient({
  region: 'us-east-1',
  endpoint: dynalite.endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
await ensureTable(doc, TABLE);
const writes = countWrites(doc, TABLE);

const stores = tableStoresOn(doc, TABLE, ALL_TABLE_STORES);
let renders = 0;
let renderMs = 0;
const rounds = roundDeps(stores, { timeZone: 'UTC', holdMinutes: 10 }, async (input) => {
  renders++;
  const started = performance.now();
  try {
    return await renderDigest({ ...input, site, template });
  } finally {
    renderMs += performance.now() - started;
  }
});
let ids = 0;
const deps = {
  digests: stores.digests,
  subscribers: stores.subscribers,
  ledger: stores.ledger,
  queue: { enqueue: async () => {} },
  now: () => AT,
  newId: () => `bench-${++ids}`,
  rounds,
};

interface SendFigures {
  label: string;
  ms: number;
  renders: number;
  renderMs: number;
  compiles: number;
  contents: number;
  recipients: number;
  batches: number;
  writes: Map<string, number>;
  writeUnits: number;
}

try {
  // Articles over the day before the send, and the site's digest of them (rendered as a publish would, not timed).
  const articles = generateArticles(ARTICLES, AT).map((article, i) => {
    const published = new Date(AT.getTime() - 86_400_000 + i * 36 * 60_000).toISOString();
    return { ...article, published, updated: published };
  });
  await mapWithConcurrency(articles, 8, async (a) => void (await stores.articles.create(a)));
  // Their pages on the site, as the publish that made the digest wrote them: a send links only to pages that are there.
  await stores.manifest.put(articles.map((a) => ({ key: `articles/${a.slug}/index.html`, value: 'published-by-the-bench' })));
  const digestId = '2025-06-02-bench';
  await stores.digests.create(await renderDigest({ site, id: digestId, createdAt: AT.toISOString(), articles, template }));

  // Readers, straight into the table as the subscriber store lays them out (confirmed: in gsi1).
  const random = prng(7);
  const cadences = new Map<string, number>();
  const seedStarted = performance.now();
  await seedReaders(doc, TABLE, READERS, {
    confirmedAt: CONFIRMED,
    preferences: () => {
      const preferences = choices(random);
      const cadence = preferences?.cadence ?? 'digest';
      cadences.set(cadence, (cadences.get(cadence) ?? 0) + 1);
      return preferences;
    },
  });
  const seedMs = performance.now() - seedStarted;
  writes.reset();

  const timedSend = async (label: string, run: () => Promise<unknown>, sendId: string): Promise<SendFigures> => {
    const before = { writes: new Map(writes.byKind), writeUnits: writes.units(), renders, renderMs, compiles: compiles() };
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    const job = await stores.ledger.getJob(sendId);
    return {
      label,
      ms,
      renders: renders - before.renders,
      renderMs: renderMs - before.renderMs,
      compiles: compiles() - before.compiles,
      contents: job?.contents ?? 0,
      recipients: job?.recipients ?? 0,
      batches: job?.batches ?? 0,
      writes: writes.since(before.writes),
      writeUnits: writes.units() - before.writeUnits,
    };
  };
  const sends = [
    await timedSend('digest send (startDigestSend)', () => startDigestSend(deps, digestId), digestId),
    await timedSend('round (tickRounds)', () => tickRounds(deps, AT), roundId(AT)),
  ];

  // Personalization: each planned recipient's copy of their content, a copy maker per content as the worker keeps one.
  const recipients: SendRecipient[] = [];
  const makers = new Map<string, ReturnType<typeof copyMaker>>();
  for (const sendId of [digestId, roundId(AT)]) {
    const batches = await stores.ledger.batches(sendId);
    const contentIds = [...new Set(batches.flatMap((b) => b.recipients.map((r) => r.content ?? sendId)))];
    await mapWithConcurrency(contentIds, 16, async (contentId) => {
      const content: Digest = (await stores.digests.get(contentId))!;
      makers.set(contentId, copyMaker({ site, mail, tokenSecret }, content, sendId));
    });
    for (const batch of batches) for (const r of batch.recipients) recipients.push({ ...r, content: r.content ?? sendId });
  }
  const copies = recipients.map((r) => ({ make: makers.get(r.content!)!, recipient: { ...r, generation: 1 } }));
  const perCopy = timePerCall(Math.max(50_000, copies.length), (i) => {
    const copy = copies[i % copies.length]!;
    return copy.make(copy.recipient, AT);
  });

  const row = (label: string, value: string, note = '') => console.log(`${label.padEnd(44)} ${value.padStart(12)}  ${note}`);
  const per10k = (ms: number) => `${(((ms / READERS) * 10_000) / 1000).toFixed(2)} s`;
  console.log(`\nReader choices: ${READERS.toLocaleString('en')} subscribers on dynalite, ${ARTICLES} articles over 20 tags`);
  console.log(
    `  cadences: ${[...cadences].map(([c, n]) => `${c} ${n.toLocaleString('en')}`).join(', ')}; formats summary 70 %, full 30 %; topics 'all' 40 %, 1–3 tags 60 %`,
  );
  row('seeding the subscribers (BatchWriteItem)', `${(seedMs / 1000).toFixed(1)} s`, `not part of any figure below`);
  const total = { ms: 0, renderMs: 0, recipients: 0, items: 0, writeUnits: 0, contents: 0, renders: 0, compiles: 0 };
  for (const s of sends) {
    const items = [...s.writes.values()].reduce((a, b) => a + b, 0);
    total.ms += s.ms;
    total.renderMs += s.renderMs;
    total.recipients += s.recipients;
    total.items += items;
    total.writeUnits += s.writeUnits;
    total.contents += s.contents;
    total.renders += s.renders;
    total.compiles += s.compiles;
    console.log(`${s.label}`);
    row('  recipients', s.recipients.toLocaleString('en'), `${s.batches.toLocaleString('en')} batches of at most 50`);
    row('  distinct contents', s.contents.toLocaleString('en'));
    row(
      '  renderContent calls',
      s.renders.toLocaleString('en'),
      s.renders <= s.contents ? `ok (≤ ${s.contents} distinct contents)` : `MORE than the ${s.contents} distinct contents`,
    );
    row('  MJML compiles', s.compiles.toLocaleString('en'), 'a content over the HTML budget compiles again, as a shorter list');
    row(
      '  planning it',
      `${(s.ms / 1000).toFixed(1)} s`,
      `${per10k(s.ms)} per 10,000 subscribers read; rendering ${(s.renderMs / 1000).toFixed(1)} s of it`,
    );
    row(
      '  DynamoDB items written',
      items.toLocaleString('en'),
      `${(items / Math.max(1, s.recipients)).toFixed(3)} per recipient: ${[...s.writes].map(([kind, n]) => `${kind} ${n.toLocaleString('en')}`).join(', ')}`,
    );
    row(
      '  write units (≈ 1 KB each)',
      s.writeUnits.toLocaleString('en'),
      `${(s.writeUnits / Math.max(1, s.recipients)).toFixed(2)} per recipient`,
    );
  }
  console.log('both sends');
  row('  recipients', total.recipients.toLocaleString('en'), `of ${READERS.toLocaleString('en')} subscribers`);
  row('  distinct contents', total.contents.toLocaleString('en'), `renderContent ${total.renders}, MJML compiles ${total.compiles}`);
  row(
    '  planning both',
    `${(total.ms / 1000).toFixed(1)} s`,
    `${per10k(total.ms)} per 10,000 subscribers (each send reads all of them); without rendering ${per10k(total.ms - total.renderMs)}`,
  );
  row(
    '  DynamoDB items written per recipient',
    (total.items / Math.max(1, total.recipients)).toFixed(3),
    `${total.items.toLocaleString('en')} items; ${(total.writeUnits / Math.max(1, total.recipients)).toFixed(2)} write units per recipient (contents are large items)`,
  );
  row(
    'personalization per recipient (copy)',
    `${perCopy.toFixed(1)} µs`,
    `${perCopy <= TARGET_US ? `ok (target ≤ ${TARGET_US} µs)` : `OVER the ${TARGET_US} µs target`}; over ${copies.length.toLocaleString('en')} planned recipients, ${makers.size} contents`,
  );
} finally {
  doc.destroy();
  await dynalite.close();
}
