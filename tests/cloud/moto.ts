/**
 * moto_server (Python's AWS emulator), started once per run on a free port. It is not an npm
 * package: the rehearsal stops with the install command when it is missing, never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from '../support/free-port.js';

export const MOTO_INSTALL = "moto_server was not found on PATH. Install it with: pip install 'moto[server]' (moto 5.2 or later)";
/** moto's default account; every ARN it makes carries it. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export interface RunningMoto {
  endpoint: string;
  port: number;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export function motoAvailable(): boolean {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '';
}

export async function startMoto(): Promise<RunningMoto> {
  if (!motoAvailable()) throw new Error(MOTO_INSTALL);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited at start:\n${log}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    port,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
