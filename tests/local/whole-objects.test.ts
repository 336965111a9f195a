import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ObjectStore, StoredObject } from '../../functions/core/publish/ports.js';
import { bodyMatchesEtag, ObjectBeingWritten, wholeObjects } from '../../functions/local/whole-objects.js';

const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;
const stored = (body: string, etag = md5(body)): StoredObject => ({
  key: 'feed.xml',
  body: new Uint8Array(Buffer.from(body)),
  contentType: 'application/rss+xml',
  etag,
  lastModified: new Date(0),
});

/** A store whose reads answer, in turn, what `answers` holds (an Error is thrown). */
function storeAnswering(answers: Array<StoredObject | Error | undefined>): ObjectStore & { reads: number } {
  const store = {
    reads: 0,
    async get() {
      const answer = answers[Math.min(store.reads++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    put: async () => undefined,
    delete: async () => undefined,
    list: async function* () {},
  };
  return store;
}

describe('bodyMatchesEtag', () => {
  it.each([
    ['the body its ETag names', stored('whole'), true],
    ['a body cut short', { ...stored('whole'), body: new Uint8Array(Buffer.from('who')) }, false],
    ['a new body under the old ETag', stored('new body', md5('old body')), false],
    ['an empty ETag (s3rver rewriting the MD5)', stored('whole', '""'), false],
  ])('%s: %s', (_, object, matches) => {
    expect(bodyMatchesEtag(object)).toBe(matches);
  });
});

describe('wholeObjects', () => {
  it('reads again until the body and its ETag agree, as a GET on S3 always does', async () => {
    const store = storeAnswering([stored('new', md5('old')), new Error('socket hang up'), stored('ne', md5('new')), stored('new')]);
    const found = await wholeObjects(store, { pauseMs: 1 }).get('feed.xml');
    expect(found).toEqual(stored('new'));
    expect(store.reads).toBe(4);
  });

  it('passes a missing key and a 304 straight through', async () => {
    expect(await wholeObjects(storeAnswering([undefined]), { pauseMs: 1 }).get('x')).toBeUndefined();
  });

  it('gives up after its attempts with an error the server answers 503 to, never a torn body', async () => {
    const store = storeAnswering([stored('torn', md5('whole'))]);
    await expect(wholeObjects(store, { attempts: 3, pauseMs: 1 }).get('feed.xml')).rejects.toBeInstanceOf(ObjectBeingWritten);
    expect(store.reads).toBe(3);
  });
});
