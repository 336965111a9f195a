/**
 * `npm run bench` (send cost): what Pressrun adds to the mail itself. One send of a digest to
 * `BENCH_SEND_READERS` readers (10,000 by default) through the real send worker, ledger on
 * dynalite, SmtpMailer, into an SMTP server that takes every message and keeps nothing (a null
 * sink: the catcher's own cost left out), side by side with a bare nodemailer loop sending one
 * composed copy of the same message to as many addresses, over the same pooled connections and
 * with the same messages in flight. Each runs once to warm up, then three times, interleaved; the
 * medians are compared (target ≤ 1.3×), with the CPU time of the process beside the wall time.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createTransport } from 'nodemailer';

const { renderDigest } = await import('../functions/core/digest/render-digest.js');
const { copyMaker } = await import('../functions/core/delivery/recipient-copy.js');
const { composeMime, bareAddress } = await import('../functions/adapters/mime.js');
const { SmtpMailer } = await import('../functions/adapters/smtp-mailer.js');
const { createDocumentClient } = await import('../functions/adapters/aws-clients.js');
const { seedReaders } = await import('./support/seed-readers.js');
const { ensureTable } = await import('../functions/adapters/dynamo-table.js');
const { ALL_TABLE_STORES, tableStoresOn } = await import('../functions/wiring/table-stores.js');
const { createSender, createSendStarter, roundDeps } = await import('../functions/wiring/delivery.js');
const { subscriberId } = await import('../functions/core/subscribers/email.js');
const { mapWithConcurrency } = await import('../functions/core/concurrency.js');
const { sendMessages } = await import('../functions/handlers/send-messages.js');
const { batchMessage, readQueueMessage } = await import('../functions/adapters/sqs-queue.js');
const { generateArticles } = await import('./generate-articles.js');

const READERS = Number(process.env.BENCH_SEND_READERS ?? 10_000);
const IN_FLIGHT = 10;
const CONNECTIONS = 5;
const TARGET = 1.3;
const ROUNDS = Number(process.env.BENCH_SEND_ROUNDS ?? 3);
/** The worker's atRisk (what a crash may leave flagged per batch), to measure its trade; the worker's default unless set. */
const AT_RISK = process.env.BENCH_SEND_AT_RISK ? Number(process.env.BENCH_SEND_AT_RISK) : undefined;

const { site, mail, tokenSecret } = await import('./support/fixtures.js');
const template = await readFile(new URL('../templates/digest.mjml', import.meta.url), 'utf8');

// The sink and dynalite in a process of their own, as SES and DynamoDB are to the worker (and the sink to the bare loop).
const services = spawn(process.execPath, ['--import', 'tsx', 'bench/support/send-services.ts'], {
  cwd: new URL('..', import.meta.url).pathname,
  stdio: ['pipe', 'pipe', 'inherit'],
});
const {
  smtpPort: port,
  dynalite,
  received: receivedUrl,
} = JSON.parse((await once(createInterface({ input: services.stdout! }), 'line'))[0] as string) as {
  smtpPort: number;
  dynalite: string;
  received: string;
};
const received = async () => Number(await (await fetch(receivedUrl)).text());

const doc = createDocumentClient({
  region: 'us-east-1',
  endpoint: dynalite,
  credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
});
/** Requests to DynamoDB, counted: what the ledger costs a batch. */
let requests = 0;
doc.middlewareStack.add((next) => (args) => (requests++, next(args)), { step: 'initialize', name: 'countRequests' });

const digest = await renderDigest({
  site,
  id: '2025-06-01-cost',
  createdAt: '2025-06-01T07:00:00.000Z',
  articles: generateArticles(10, new Date('2025-06-01T06:00:00Z')),
  template,
});
const readers = Array.from({ length: READERS }, (_, i) => {
  const email = `reader-${i}@example.com`;
  return { id: subscriberId(email), email };
});

/** A fresh table with the readers confirmed and the digest stored: what each of our runs starts from. */
async function freshTable(name: string) {
  await ensureTable(doc, name);
  const at = '2025-05-01T08:00:00.000Z';
  await seedReaders(doc, name, READERS, { confirmedAt: at });
  const stores = tableStoresOn(doc, name, ALL_TABLE_STORES);
  await stores.digests.create(digest);
  return stores;
}

interface Run {
  ms: number;
  cpuMs: number;
  servicesMs: number;
  /** DynamoDB requests a batch of the send (ours only). */
  perBatch?: number;
}

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** The CPU time of the sink and dynalite's process (Linux), in ms: what the two cores give the other side. */
const servicesCpu = async () => {
  const fields = (await readFile(`/proc/${services.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

/** SQS hands the send worker 5 messages an invocation (the stack's batch size). */
const SQS_BATCH = 5;

/** Ours: the send planned into the ledger, then every batch through the send worker's SQS handler, 5 messages an invocation as the stack wires it. */
async function ours(run: number): Promise<Run> {
  const stores = await freshTable(`cost-${run}`);
  const refs: Array<{ digestId: string; batch: number }> = [];
  const queue = { enqueue: async (batches: typeof refs) => void refs.push(...batches) };
  const mailer = new SmtpMailer({ host: '127.0.0.1', port, tls: 'none', maxConnections: CONNECTIONS });
  const sender = createSender({ site, mail, tokenSecret }, stores, mailer, {
    workerOptions: { inFlight: IN_FLIGHT, ...(AT_RISK ? { atRisk: AT_RISK } : {}) },
  });
  const rounds = roundDeps(stores, { timeZone: 'UTC', holdMinutes: 10 }, async () => {
    throw new Error('every reader takes the digest whole: nothing to render');
  });
  await createSendStarter(stores, queue, () => new Date('2025-06-01T08:00:00.000Z'), undefined, rounds).startSend(digest.id);
  const before = await received();
  const [started, startedCpu, startedServices] = [performance.now(), cpu(), await servicesCpu()];
  const requestsBefore = requests;
  const handler = sendMessages({ readMessage: readQueueMessage, sender: async () => sender }, () => {});
  for (let i = 0; i < refs.length; i += SQS_BATCH) {
    const records = refs.slice(i, i + SQS_BATCH).map((ref, k) => ({ messageId: `m-${i + k}`, body: batchMessage(ref) }));
    const { batchItemFailures } = await handler({ Records: records });
    if (batchItemFailures.length > 0) throw new Error(`${batchItemFailures.length} batches came back unfinished`);
  }
  const result = {
    ms: performance.now() - started,
    cpuMs: cpu() - startedCpu,
    servicesMs: (await servicesCpu()) - startedServices,
    perBatch: (requests - requestsBefore) / refs.length,
  };
  mailer.close();
  const got = (await received()) - before;
  if (got !== READERS) throw new Error(`the sink received ${got} of ${READERS}`);
  return result;
}

/** Bare: one copy composed, then sent to every address with nodemailer, nothing else. */
async function bare(): Promise<Run> {
  const copy = copyMaker({ site, mail, tokenSecret }, digest)({ ...readers[0]!, generation: 1 }, new Date());
  const { raw } = await composeMime(copy);
  const transport = createTransport({
    pool: true,
    host: '127.0.0.1',
    port,
    ignoreTLS: true,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
  });
  const before = await received();
  const [started, startedCpu, startedServices] = [performance.now(), cpu(), await servicesCpu()];
  await mapWithConcurrency(readers, IN_FLIGHT, ({ email }) =>
    transport.sendMail({ envelope: { from: bareAddress(mail.from), to: [email] }, raw }),
  );
  const result = { ms: performance.now() - started, cpuMs: cpu() - startedCpu, servicesMs: (await servicesCpu()) - startedServices };
  transport.close();
  const got = (await received()) - before;
  if (got !== READERS) throw new Error(`the sink received ${got} of ${READERS}`);
  return result;
}

const runs: { ours: Run[]; bare: Run[] } = { ours: [], bare: [] };
try {
  // A first round of each warms the JIT and the connections; it is not counted.
  await bare();
  await ours(-1);
  for (let round = 0; round < ROUNDS; round++) {
    runs.bare.push(await bare());
    runs.ours.push(await ours(round));
  }
} finally {
  doc.destroy();
  services.stdin!.end();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const oursMs = median(runs.ours.map((r) => r.ms));
const bareMs = median(runs.bare.map((r) => r.ms));
const ratio = oursMs / bareMs;
const described = (r: Run) =>
  `${(r.ms / 1000).toFixed(1)} s / CPU ${(r.cpuMs / 1000).toFixed(1)} s (sink+dynalite ${(r.servicesMs / 1000).toFixed(1)} s)` +
  (r.perBatch !== undefined ? `, ${r.perBatch.toFixed(1)} requests a batch` : '');
const row = (label: string, value: string, note = '') => console.log(`${label.padEnd(44)} ${value.padStart(12)}  ${note}`);
console.log(
  `\nSend cost: ${READERS.toLocaleString('en')} readers into a null SMTP sink, ${CONNECTIONS} connections, ${IN_FLIGHT} in flight`,
);
row('bare nodemailer loop (one composed copy)', `${(bareMs / 1000).toFixed(1)} s`, runs.bare.map(described).join(', '));
row('the send worker (ledger on dynalite)', `${(oursMs / 1000).toFixed(1)} s`, runs.ours.map(described).join(', '));
row('  per reader', `${((oursMs / READERS) * 1000).toFixed(0)} µs`, `bare ${((bareMs / READERS) * 1000).toFixed(0)} µs`);
row('send worker / bare loop', `${ratio.toFixed(2)}×`, ratio <= TARGET ? `ok (target ≤ ${TARGET}×)` : `OVER the ${TARGET}× target`);
