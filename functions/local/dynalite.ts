/** An in-process DynamoDB stand-in (dynalite) for the local server and the tests. */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface DynaliteOptions {
  /** LevelDB directory for persistence; omit to keep everything in memory. */
  path?: string;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  address?: string;
}

export interface RunningDynalite {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

// dynalite ships CommonJS without usable types; this is the slice of it we use.
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export async function startDynalite(options: DynaliteOptions = {}): Promise<RunningDynalite> {
  const address = options.address ?? '127.0.0.1';
  // Tables become ACTIVE at once instead of after dynalite's default half second.
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    updateTableMs: 0,
    deleteTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: async () => {
      // SDK clients keep connections alive; without this close() waits for them to time out.
      server.closeIdleConnections();
      const closing = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeAllConnections();
      await closing;
    },
  };
}
