/**
 * An HTTP proxy that holds every request `delayMs` before passing it on: S3 answers a PUT in
 * about 10–30 ms where s3rver answers in about 1, so a publish measured through it shows what
 * the write concurrency buys against the real service.
 */
import { createServer, request, type Server } from 'node:http';

export interface LatencyProxy {
  endpoint: string;
  requests(): number;
  close(): Promise<void>;
}

export async function startLatencyProxy(target: string, delayMs: number): Promise<LatencyProxy> {
  const to = new URL(target);
  let count = 0;
  const server: Server = createServer((incoming, answer) => {
    count++;
    setTimeout(() => {
      const outgoing = request(
        { host: to.hostname, port: to.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (response) => {
          answer.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(answer);
        },
      );
      outgoing.on('error', () => answer.destroy());
      incoming.pipe(outgoing);
    }, delayMs);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
