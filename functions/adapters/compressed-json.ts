/** Gzipped JSON for attributes that would otherwise push an item past DynamoDB's 400 KB limit. */
import { gunzipSync, gzipSync } from 'node:zlib';

export function packJson(value: unknown): Uint8Array {
  return new Uint8Array(gzipSync(JSON.stringify(value)));
}

export function unpackJson<T>(bytes: Uint8Array): T {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
}

export const utf8Bytes = (value: string) => Buffer.byteLength(value, 'utf8');
