/**
 * Reads of the local bucket that never return a torn object, as S3 never does.
 *
 * S3 replaces an object atomically: a GET returns the old object or the new one, whole, with
 * its ETag. s3rver writes the new body into the object's file in place, then its MD5 and its
 * metadata; a GET meanwhile can return a truncated or half-new body under either ETag (or fail
 * when the file shrank under it). A single-part ETag is the MD5 of the body, so a read whose
 * body does not hash to its ETag (or that failed) is read again, a moment later, until the
 * write is done. Writes through the SDK stay as they are: S3's own PUT semantics are what the
 * publish relies on, and only s3rver's reads fall short of them.
 */
import { createHash } from 'node:crypto';
import type { ObjectStore, StoredObject } from '../core/publish/ports.js';

export interface WholeObjectsOptions {
  /** Reads of one object before giving up. Default 50. */
  attempts?: number;
  /** Pause between reads. Default 20 ms. */
  pauseMs?: number;
}

/** Thrown when an object was still being written after every attempt: a 503, never a torn body. */
export class ObjectBeingWritten extends Error {
  constructor(readonly key: string) {
    super(`${key} is being written; try again in a moment`);
    this.name = 'ObjectBeingWritten';
  }
}

const SINGLE_PART_ETAG = /^"([0-9a-f]{32})"$/;

/**
 * True when the body is the one the ETag names. Every object the publish writes is a single
 * PUT, whose ETag is the quoted MD5 of its body; s3rver answers an empty ETag while it rewrites
 * the MD5's own file, which names no body.
 */
export function bodyMatchesEtag(object: Pick<StoredObject, 'body' | 'etag'>): boolean {
  const md5 = SINGLE_PART_ETAG.exec(object.etag)?.[1];
  return md5 !== undefined && createHash('md5').update(object.body).digest('hex') === md5;
}

export function wholeObjects(objects: ObjectStore, options: WholeObjectsOptions = {}): ObjectStore {
  const attempts = options.attempts ?? 50;
  const pauseMs = options.pauseMs ?? 20;
  const get: ObjectStore['get'] = async (key, conditions) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const found = await objects.get(key, conditions);
        if (found === undefined || found === 'not-modified' || bodyMatchesEtag(found)) return found;
      } catch (error) {
        if (attempt >= attempts) throw error;
      }
      if (attempt >= attempts) throw new ObjectBeingWritten(key);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  return {
    get,
    put: (object) => objects.put(object),
    delete: (keys) => objects.delete(keys),
    list: (prefix, startAfter) => objects.list(prefix, startAfter),
  };
}
