/**
 * Who is asking, for per-client rate limits. Never X-Forwarded-For: any client can write
 * one. A header is trusted only when the deployment names it (a proxy that sets it
 * itself, such as CloudFront's CloudFront-Viewer-Address); otherwise the address comes from
 * the runtime, through Hono's getConnInfo for it (API Gateway's request context in Lambda,
 * the socket under @hono/node-server), which the root passes in.
 */
import type { Context } from 'hono';
import type { GetConnInfo } from 'hono/conninfo';

export interface ClientAddressOptions {
  /** A header a trusted proxy sets to the client's address, replacing any the client sent. */
  trustedHeader?: string;
  /** The runtime's getConnInfo; without it (app.request() in tests) every client is "unknown". */
  connInfo?: GetConnInfo;
}

/** CloudFront-Viewer-Address is "address:port" ("203.0.113.7:4711", "2001:db8::1:4711"): the address alone. */
function withoutPort(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  const colon = value.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(value.slice(colon + 1)) ? value.slice(0, colon) : value;
}

export function clientAddress(c: Context, options: ClientAddressOptions = {}): string {
  if (options.trustedHeader) {
    const value = c.req.header(options.trustedHeader)?.trim();
    if (value) return withoutPort(value);
  }
  if (!options.connInfo || c.env === undefined) return 'unknown';
  return options.connInfo(c).remote.address ?? 'unknown';
}
