/**
 * A moto server for a test file: `moto_server` (Python, `pip install 'moto[server]'`, outside npm)
 * on a free port of 127.0.0.1, one endpoint for every service it emulates. Point an SDK client or a
 * child process at it with AWS_ENDPOINT_URL, fake credentials and a region; `reset()` empties it
 * between cases. It keeps nothing across restarts. See /work/shared/PITFALLS.md on what it models.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export interface Moto {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** Empties every service (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

/** Starts moto_server (or the executable MOTO_SERVER names) and resolves once it answers. */
export async function startMoto(): Promise<Moto> {
  const executable = findExecutable(process.env.MOTO_SERVER ?? 'moto_server');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitUntilAnswering(endpoint, exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`moto_server did not start on ${endpoint}: ${(error as Error).message}\n${output}`);
  }
  return {
    endpoint,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    stop: () => stop(child, exited),
  };
}

function findExecutable(name: string): string {
  if (name.includes('/')) return name;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} is not on PATH: install it with pip install 'moto[server]' (or set MOTO_SERVER to its path)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilAnswering(endpoint: string, exited: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`it exited with code ${exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer within ${START_TIMEOUT_MS / 1000} s`);
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
