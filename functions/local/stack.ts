/**
 * The whole cloud on one machine: s3rver and dynalite in this process, data under .data/,
 * and the same adapters and use cases the Lambda functions use, pointed at them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureTable } from '../adapters/dynamo-table.js';
import { readConfig, type AppConfig } from '../config.js';
import { createServices, type Services } from '../compose.js';
import { startDynalite } from './dynalite.js';
import { S3RVER_CREDENTIALS, startS3rver } from './s3rver.js';

export const projectRoot = new URL('../../', import.meta.url);

export interface LocalStack {
  config: AppConfig;
  services: Services;
  apiToken: string;
  dataDir: string;
  close(): Promise<void>;
}



// Local runs are on Node 20 by design (Lambda runs 22); the SDK's reminder says nothing new here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function startLocalStack(options: { env: Record<string, string | undefined>; port: number }): Promise<LocalStack> {
  const env = options.env;
  const dataDir = env.PRESSRUN_DATA_DIR ?? join(projectRoot.pathname, '.data');
  await mkdir(join(dataDir, 's3'), { recursive: true });
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });

  const bucket = env.PRESSRUN_BUCKET ?? 'pressrun-site';
  const s3 = await startS3rver({ directory: join(dataDir, 's3'), port: Number(env.PRESSRUN_S3_PORT ?? 0), buckets: [bucket] });
  const dynamo = await startDynalite({ path: join(dataDir, 'dynamodb'), port: Number(env.PRESSRUN_DYNAMODB_PORT ?? 0) });

  const config = readConfig({
    PRESSRUN_SITE_URL: `http://localhost:${options.port}/`,
    PRESSRUN_SITE_TITLE: 'Pressrun (local)',
    PRESSRUN_TABLE: 'pressrun',
    PRESSRUN_BUCKET: bucket,
    AWS_REGION: 'us-east-1',
    ...env,
    PRESSRUN_S3_ENDPOINT: s3.endpoint,
    PRESSRUN_DYNAMODB_ENDPOINT: dynamo.endpoint,
  });
  const services = await createServices(config, { templatesDir: new URL('templates/', projectRoot), credentials: S3RVER_CREDENTIALS });
  await ensureTable(services.doc, config.tableName);
  const apiToken = env.PRESSRUN_API_TOKEN ?? (await localApiToken(dataDir));

  return {
    config,
    services,
    apiToken,
    dataDir,
    close: async () => {
      services.s3.destroy();
      services.doc.destroy();
      await Promise.all([s3.close(), dynamo.close()]);
    },
  };
}

/** A token generated once and kept with the data, so curl examples keep working across restarts. */
async function localApiToken(dataDir: string): Promise<string> {
  const file = join(dataDir, 'api-token');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const token = randomBytes(24).toString('base64url');
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return token;
  }
}
