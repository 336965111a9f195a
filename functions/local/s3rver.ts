/** An in-process S3 stand-in (s3rver) for the local server and the tests. */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';

/** s3rver only accepts requests signed with its built-in key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverOptions {
  /** Where objects live on disk; they persist across restarts. */
  directory: string;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  address?: string;
  /** Created at start when missing. */
  buckets?: string[];
}

export interface RunningS3rver {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver ships CommonJS without types; this is the slice of it we use.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export async function startS3rver(options: S3rverOptions): Promise<RunningS3rver> {
  const address = options.address ?? '127.0.0.1';
  const server = new S3rver({
    directory: options.directory,
    port: options.port ?? 0,
    address,
    silent: true,
    // Path-style requests only: a host name must never be read as a bucket name.
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const { port } = await server.run();
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: async () => {
      // SDK clients keep connections alive; without this close() waits for them to time out.
      server.httpServer?.closeIdleConnections();
      const closing = server.close();
      server.httpServer?.closeAllConnections();
      await closing;
    },
  };
}

/**
 * s3rver keeps an object as files named after the last part of its key, plus the longest of
 * its suffixes (`._S3rver_metadata.json`); the file system allows 255 bytes a name. A longer
 * key part cannot be stored (s3rver fails with a 500), so nothing was ever published there.
 */
const FILE_NAME_BYTES = 255;
const LONGEST_SUFFIX = '._S3rver_metadata.json';

export function s3rverCanHold(key: string): boolean {
  return key.split('/').every((part) => Buffer.byteLength(part, 'utf8') + LONGEST_SUFFIX.length <= FILE_NAME_BYTES);
}
