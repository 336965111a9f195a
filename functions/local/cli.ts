/**
 * The `pressrun` command.
 *   pressrun publish [--full]                 publish content/: through the local server when one runs, else on .data/ itself
 *   pressrun publish --api <url>              ask a deployed API to publish, and wait for the report
 *   pressrun push <dir> --api <url>           create or update every article file of <dir> through the API;
 *                                             an article that already says what its file says is left alone
 *   pressrun doctor [-c key=value …]         check what a deploy of the stage needs in the account and region of the
 *                                             AWS credentials, with how to fix each (exit code 1 when a check fails)
 * The API token comes from PRESSRUN_API_TOKEN; through a running local server, from .data/api-token unless set.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { formatPublishReport } from './reports.js';
import { ApiClient } from './api-client.js';
import { dataDirHolder } from './data-lock.js';
import { LocalPublisher } from './local-publisher.js';
import { projectRoot, startLocalStack } from '../wiring/local.js';

const USAGE = `Usage:
  pressrun publish [--full]            import content/ and publish (through a running npm start)
  pressrun publish --api <url>         trigger a publish on a deployed API and wait for its report
  pressrun push <dir> --api <url>      create or update the articles of <dir> through the API (unchanged files are skipped)
  pressrun doctor [-c key=value ...]   check what a deploy needs in your AWS account and region, and how to fix each
                                       (the -c settings of cdk deploy; credentials and region from AWS_PROFILE, AWS_REGION, ~/.aws)
Environment: PRESSRUN_API_TOKEN (the API's bearer token).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      full: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
      context: { type: 'string', short: 'c', multiple: true },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === 'publish') return publish(values.full, values.api);
  // Loaded only here: the doctor brings the AWS SDK clients, which the other commands do not wait for.
  if (command === 'doctor') return (await import('./doctor/index.js')).runDoctor(values.context ?? []);
  if (command === 'push') {
    const dir = rest[0];
    if (!dir || !values.api) {
      console.error(USAGE);
      return 2;
    }
    const client = new ApiClient(values.api, requireToken());
    const results = await client.pushDirectory(resolve(dir));
    for (const r of results) console.log(`${r.outcome.padEnd(9)} ${r.file}${r.detail ? `: ${r.detail}` : ''}`);
    return results.some((r) => r.outcome === 'failed') ? 1 : 0;
  }
  console.error(`Unknown command "${command}".\n${USAGE}`);
  return 2;
}

/**
 * Publishes on a deployed API (--api), through the local server when one holds the data
 * folder (it imports content/ before every run), or with a local stack of its own.
 */
async function publish(full: boolean, api: string | undefined): Promise<number> {
  if (api) return publishThroughApi(api, requireToken(), full);
  const dataDir = process.env.PRESSRUN_DATA_DIR ?? join(projectRoot.pathname, '.data');
  const server = await dataDirHolder(dataDir);
  if (!server?.url) return publishOnDataDir(full);
  console.log(`publishing through the running server (pid ${server.pid}, ${server.url})`);
  const token = process.env.PRESSRUN_API_TOKEN ?? (await readFile(join(dataDir, 'api-token'), 'utf8')).trim();
  return publishThroughApi(`${server.url}api`, token, full);
}

async function publishThroughApi(api: string, token: string, full: boolean): Promise<number> {
  const run = await new ApiClient(api, token).publishAndWait({ full });
  console.log(run.report ? formatPublishReport(run.report) : `run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}`);
  return run.status === 'succeeded' ? 0 : 1;
}

/**
 * Publishes with a local stack of its own, then mails the digest that publish made to every
 * reader before it exits: the send queue lives in this process, so leaving before it is empty
 * would leave the rest to the next start. Sends a stopped process left unfinished go first.
 */
async function publishOnDataDir(full: boolean): Promise<number> {
  const log = (line: string) => console.log(line);
  const stack = await startLocalStack({
    env: process.env,
    port: Number(process.env.PORT ?? 8787),
    holder: { command: 'pressrun publish' },
    log,
  });
  const publisher = new LocalPublisher({
    ...stack.stores,
    publishing: stack.publishing,
    chunks: stack.chunkQueue,
    site: stack.config.site,
    contentDir: join(projectRoot.pathname, 'content'),
    log,
  });
  try {
    await publisher.recoverRuns();
    const resumed = await stack.resumeSends();
    const report = await publisher.publishNow({ full });
    await stack.sendQueue.idle();
    for (const { digestId, at } of resumed.waiting)
      log(`the send of digest ${digestId} resumes at the first start after ${at.toISOString()}`);
    return report && publisher.lastImport?.failed.length === 0 ? 0 : 1;
  } finally {
    await publisher.close();
    await stack.close();
  }
}

function requireToken(): string {
  const token = process.env.PRESSRUN_API_TOKEN;
  if (!token) throw new Error('PRESSRUN_API_TOKEN is required to talk to the API');
  return token;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
