/**
 * S3 and DynamoDB stand-ins for tests: s3rver over a temporary directory and an in-memory
 * dynalite, each on a free port, with the bucket and the table ready.
 *
 *   let aws: LocalAws;
 *   beforeAll(async () => { aws = await startLocalAws(); });
 *   afterAll(() => aws.close());
 */
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createS3Client } from '../../functions/adapters/aws-clients.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { startDynalite } from '../../functions/local/dynalite.js';
import { S3RVER_CREDENTIALS, startS3rver } from '../../functions/local/s3rver.js';

export const LOCAL_REGION = 'us-east-1';
/** dynalite accepts any credentials; fixed ones keep the SDK from searching the environment. */
export const DYNALITE_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalAws {
  s3Client: S3Client;
  doc: DynamoDBDocumentClient;
  bucket: string;
  tableName: string;
  endpoints: { s3: string; dynamodb: string };
  close(): Promise<void>;
}

/**
 * Where s3rver keeps its objects: /dev/shm when the machine has it (s3rver opens several files
 * per request, and memory is faster than a disk at that), the temporary directory otherwise.
 */
function scratchDirectory(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export async function startLocalAws(options: { bucket?: string; tableName?: string } = {}): Promise<LocalAws> {
  const bucket = options.bucket ?? 'pressrun-test-site';
  const tableName = options.tableName ?? 'pressrun-test';
  const directory = await mkdtemp(join(scratchDirectory(), 'pressrun-s3rver-'));
  const s3 = await startS3rver({ directory, buckets: [bucket] });
  const dynamodb = await startDynalite();
  const s3Client = createS3Client({ region: LOCAL_REGION, endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS });
  const doc = createDocumentClient({ region: LOCAL_REGION, endpoint: dynamodb.endpoint, credentials: DYNALITE_CREDENTIALS });
  const close = async () => {
    s3Client.destroy();
    doc.destroy();
    await Promise.all([s3.close(), dynamodb.close()]);
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await ensureTable(doc, tableName);
  } catch (error) {
    await close();
    throw error;
  }
  return { s3Client, doc, bucket, tableName, endpoints: { s3: s3.endpoint, dynamodb: dynamodb.endpoint }, close };
}
