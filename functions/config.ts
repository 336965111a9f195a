/**
 * Reads the environment once and fails at start naming every missing or invalid variable.
 * Tunables have documented defaults; what identifies a deployment (site URL, table, bucket)
 * never does, so a forgotten variable cannot hide behind a default.
 */
import type { SiteConfig } from './core/site.js';

export interface AppConfig {
  site: SiteConfig;
  tableName: string;
  bucketName: string;
  region: string;
  /** Only set locally or in tests: endpoints of s3rver and dynalite. */
  endpoints: { s3?: string; dynamodb?: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function readConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const optional = (name: string, fallback: string): string => env[name]?.trim() || fallback;
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  const url = (name: string, value: string): string => {
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
      return parsed.toString().replace(/\/?$/, '/');
    } catch {
      problems.push(`${name} must be an absolute http(s) URL, got "${value}"`);
      return value;
    }
  };

  const baseUrl = url('PRESSRUN_SITE_URL', required('PRESSRUN_SITE_URL'));
  const authorEmail = env.PRESSRUN_AUTHOR_EMAIL?.trim();
  const site: SiteConfig = {
    baseUrl,
    title: optional('PRESSRUN_SITE_TITLE', 'Pressrun'),
    description: optional('PRESSRUN_SITE_DESCRIPTION', 'News from Pressrun'),
    language: optional('PRESSRUN_SITE_LANGUAGE', 'en'),
    author: { name: optional('PRESSRUN_AUTHOR_NAME', 'The editors'), ...(authorEmail ? { email: authorEmail } : {}) },
    feedItemLimit: integer('PRESSRUN_FEED_ITEMS', 50, 1, 1000),
    digestArticleLimit: integer('PRESSRUN_DIGEST_MAX_ARTICLES', 20, 1, 100),
    subscribeUrl: optional('PRESSRUN_SUBSCRIBE_URL', '/api/subscribe'),
  };
  const config: AppConfig = {
    site,
    tableName: required('PRESSRUN_TABLE'),
    bucketName: required('PRESSRUN_BUCKET'),
    region: optional('AWS_REGION', 'us-east-1'),
    endpoints: {
      ...(env.PRESSRUN_S3_ENDPOINT ? { s3: env.PRESSRUN_S3_ENDPOINT } : {}),
      ...(env.PRESSRUN_DYNAMODB_ENDPOINT ? { dynamodb: env.PRESSRUN_DYNAMODB_ENDPOINT } : {}),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
