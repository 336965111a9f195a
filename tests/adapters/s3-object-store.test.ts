/**
 * S3ObjectStore on s3rver holds the ObjectStore contract (tests/support/contracts/object-store.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.js';
import { describeObjectStoreContract } from '../support/contracts/object-store.contract.js';
import { InMemoryObjectStore } from '../support/fakes/object-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let buckets = 0;
describeObjectStoreContract('S3ObjectStore', async () => {
  const bucket = `contract-${++buckets}`;
  await aws.s3Client.send(new CreateBucketCommand({ Bucket: bucket }));
  return new S3ObjectStore(aws.s3Client, bucket);
});
describeObjectStoreContract('InMemoryObjectStore', async () => new InMemoryObjectStore());
