/** The site bucket as an ObjectStore. */
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PressrunError } from '../core/errors.js';
import type { ObjectStore, StoredObject } from '../core/publish/ports.js';
import type { OutputObject } from '../core/site.js';

/** DeleteObjects takes at most 1,000 keys a request. */
const DELETE_BATCH = 1_000;

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(object: OutputObject): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: object.key,
        Body: Buffer.from(object.body, 'utf8'),
        ContentType: object.contentType,
        CacheControl: object.cacheControl,
      }),
    );
  }

  async get(
    key: string,
    conditions: { ifNoneMatch?: string; ifModifiedSince?: Date } = {},
  ): Promise<StoredObject | 'not-modified' | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          IfNoneMatch: conditions.ifNoneMatch,
          IfModifiedSince: conditions.ifModifiedSince,
        }),
      );
      return {
        key,
        body: result.Body ? await result.Body.transformToByteArray() : new Uint8Array(),
        contentType: result.ContentType ?? 'application/octet-stream',
        ...(result.CacheControl ? { cacheControl: result.CacheControl } : {}),
        etag: result.ETag ?? '',
        lastModified: result.LastModified ?? new Date(0),
      };
    } catch (error) {
      // A 304 has no body, so the SDK cannot name it: AWS may call it NotModified, s3rver gives 'Unknown'.
      if (statusOf(error) === 304 || nameOf(error) === 'NotModified') return 'not-modified';
      if (statusOf(error) === 404 || nameOf(error) === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async delete(keys: string[]): Promise<void> {
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += DELETE_BATCH) {
      const batch = unique.slice(i, i + DELETE_BATCH);
      const result = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      // DeleteObjects answers 200 even when some keys failed; they are listed in Errors.
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        throw new PressrunError(
          'unavailable',
          `S3 could not delete ${failed.length} object(s) from ${this.bucket}`,
          failed.map((failure) => ({ field: failure.Key ?? '', message: `${failure.Code ?? 'Error'}: ${failure.Message ?? ''}` })),
        );
      }
    }
  }

  async *list(prefix?: string, startAfter?: string): AsyncIterable<{ key: string; etag: string; size: number }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, StartAfter: startAfter }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield { key: object.Key, etag: object.ETag ?? '', size: object.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
const nameOf = (error: unknown) => (error instanceof Error ? error.name : undefined);
