/**
 * Who is asking, for per-client rate limits. Never X-Forwarded-For: any client can write
 * one. A header is trusted only when the deployment names it (a proxy that sets it
 * itself, such as CloudFront's CloudFront-Viewer-Address); otherwise the address comes from
 * the runtime: API Gateway's request context in Lambda, the socket under @hono/node-server.
 */
import type { Context } from 'hono';

interface RuntimeEnv {
  requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } };
  incoming?: { socket?: { remoteAddress?: string } };
}

/** CloudFront-Viewer-Address is "address:port" ("203.0.113.7:4711", "2001:db8::1:4711"): the address alone. */
function withoutPort(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  const colon = value.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(value.slice(colon + 1)) ? value.slice(0, colon) : value;
}

export function clientAddress(c: Context, trustedHeader?: string): string {
  if (trustedHeader) {
    const value = c.req.header(trustedHeader)?.trim();
    if (value) return withoutPort(value);
  }
  const env = (c.env ?? {}) as RuntimeEnv;
  return env.requestContext?.http?.sourceIp ?? env.requestContext?.identity?.sourceIp ?? env.incoming?.socket?.remoteAddress ?? 'unknown';
}
