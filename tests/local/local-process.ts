/**
 * `npm start` and `pressrun` as a user runs them: real processes on a data folder, started,
 * read and stopped (a SIGKILL included) from a test. Mail is read from the SMTP catcher's
 * folder under the data folder, as maildev wrote each message before accepting it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack } from '../../functions/wiring/local.js';
import { seedConfirmed } from '../support/delivery-data.js';

export { freePort } from '../support/free-port.js';

const NODE_ARGS = ['--openssl-legacy-provider', '--import', 'tsx'];
const QUIET = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export interface LocalProcess {
  child: ChildProcess;
  /** What it printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output; rejects after `timeoutMs` or when it exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with its exit code (or signal name). */
  exited: Promise<number | string>;
}

function watch(child: ChildProcess): LocalProcess {
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${String(pattern)} did not appear within ${timeoutMs} ms; output:\n${output}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      void exited.then(() => {
        if (!listeners.has(check)) return;
        done();
        reject(new Error(`exited before ${String(pattern)} appeared; output:\n${output}`));
      });
      check();
    });
  return { child, output: () => output, waitFor, exited };
}

/** `npm start` on `dataDir`, serving on `port`, with the SMTP catcher on free ports. */
export function startServer(dataDir: string, port: number, env: Record<string, string> = {}): LocalProcess {
  return watch(
    spawn(process.execPath, [...NODE_ARGS, join(projectRoot.pathname, 'functions/local/server.ts')], {
      cwd: projectRoot.pathname,
      env: {
        ...process.env,
        ...QUIET,
        PRESSRUN_DATA_DIR: dataDir,
        PORT: String(port),
        PRESSRUN_SMTP_PORT: '0',
        PRESSRUN_MAILDEV_WEB_PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** `pressrun <args>` on `dataDir`. */
export function runCli(dataDir: string, args: string[], env: Record<string, string> = {}): LocalProcess {
  return watch(
    spawn(process.execPath, [...NODE_ARGS, join(projectRoot.pathname, 'functions/local/cli.ts'), ...args], {
      cwd: projectRoot.pathname,
      env: { ...process.env, ...QUIET, PRESSRUN_DATA_DIR: dataDir, PRESSRUN_SMTP_PORT: '0', PRESSRUN_MAILDEV_WEB_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** How many messages the catcher holds: one look at its folder, cheap enough to poll. */
export async function caughtCount(dataDir: string): Promise<number> {
  return (await readdir(join(dataDir, 'maildev')).catch(() => [] as string[])).filter((name) => name.endsWith('.eml')).length;
}

/** How many messages whose subject matches `subject` each address received, read from the catcher's folder. */
export async function copiesByAddress(dataDir: string, subject: RegExp): Promise<Map<string, number>> {
  const folder = join(dataDir, 'maildev');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.eml'));
  const copies = new Map<string, number>();
  for (const name of names) {
    const raw = await readFile(join(folder, name), 'utf8');
    const head = raw.slice(0, raw.search(/\r?\n\r?\n/) + 1).replace(/\r?\n[ \t]+/g, ' ');
    if (!subject.test(/^Subject: (.*)$/m.exec(head)?.[1] ?? '')) continue;
    const to = /^To: (.*)$/m.exec(head)?.[1]?.trim() ?? '';
    copies.set(to, (copies.get(to) ?? 0) + 1);
  }
  return copies;
}

/**
 * A data folder as a user leaves it: content/ published, `readers` confirmed readers, and an
 * article written through the API just before the server stopped, so the next publish makes a
 * digest of it for all of them (the site served on `port`, as the next process will serve it).
 */
export async function folderWithReaders(options: {
  port: number;
  token: string;
  readers: number;
  title: string;
}): Promise<{ dataDir: string; readers: string[] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressrun-readers-'));
  const stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_API_TOKEN: options.token }, port: options.port });
  const local = createLocalApp(stack, { contentDir: join(projectRoot.pathname, 'content') });
  try {
    await local.publisher.publishNow();
    await stack.sendQueue.idle();
    // They confirm now, after the first publish's digest went out (to nobody): the next digest is their first.
    const readers = await seedConfirmed(stack.stores.subscribers, options.readers, 'reader', new Date().toISOString());
    const { title } = options;
    const created = await local.app.request('/api/articles', {
      method: 'POST',
      headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title,
        body: `${title}: the whole story.`,
        tags: ['local'],
        published: new Date(Date.now() - 60_000).toISOString(),
      }),
    });
    if (created.status !== 201) throw new Error(`the article was refused: ${created.status} ${await created.text()}`);
    return { dataDir, readers: readers.map((r) => r.email) };
  } finally {
    await local.publisher.close();
    await stack.close();
  }
}

/** Every copy counted. */
export const totalCopies = (copies: Map<string, number>) => [...copies.values()].reduce((sum, n) => sum + n, 0);
