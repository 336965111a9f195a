// Runs one Lambda handler from a bundle the way the Node.js runtime does: a fresh process
// imports the file and calls the export with the event (read from stdin) and a context.
// Prints one line: {"ok":true,"result":...} or {"ok":false,"errorType":...,"errorMessage":...},
// with the process's peak memory and CPU time (peakRssBytes, cpuMs). The peak is sampled: the
// kernel's own maximum (resourceUsage().maxRSS) counts the parent's memory at the fork.
//
//   node run-handler.mjs <bundle file> <export name> < event.json
import { pathToFileURL } from 'node:url';

const [file, exportName = 'handler'] = process.argv.slice(2);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const event = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
const context = {
  awsRequestId: `local-${process.pid}`,
  functionName: exportName,
  getRemainingTimeInMillis: () => 60_000,
  callbackWaitsForEmptyEventLoop: false,
};

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
let outcome;
try {
  const module = await import(pathToFileURL(file).href);
  const handler = module[exportName];
  if (typeof handler !== 'function') throw new TypeError(`${file} has no export "${exportName}"`);
  const result = await handler(event, context);
  outcome = { ok: true, result: result ?? null };
} catch (error) {
  outcome = {
    ok: false,
    errorType: error?.name ?? 'Error',
    errorMessage: error?.message ?? String(error),
    stack: error?.stack,
  };
}
clearInterval(sampler);
const usage = process.resourceUsage();
const measured = {
  peakRssBytes: Math.max(peakRss, process.memoryUsage().rss),
  cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
};
process.stdout.write(`${JSON.stringify({ ...outcome, ...measured })}\n`);
// Like the runtime, do not wait for open sockets of SDK clients.
process.exit(0);
