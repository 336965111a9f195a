import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../functions/config.js';

const env = (overrides: Record<string, string | undefined> = {}) => ({
  PRESSRUN_SITE_URL: 'https://news.example.com',
  PRESSRUN_TABLE: 'pressrun',
  PRESSRUN_BUCKET: 'site',
  ...overrides,
});

describe('readConfig', () => {
  it('reads a minimal environment with documented defaults', () => {
    const config = readConfig(env());
    expect(config.site.baseUrl).toBe('https://news.example.com/');
    expect(config.site.feedItemLimit).toBe(50);
    expect(config.site.digestArticleLimit).toBe(20);
    expect(config.endpoints).toEqual({});
  });

  it('names every missing or invalid variable at once', () => {
    try {
      readConfig({ PRESSRUN_FEED_ITEMS: 'many', PRESSRUN_DIGEST_MAX_ARTICLES: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      for (const name of [
        'PRESSRUN_SITE_URL',
        'PRESSRUN_TABLE',
        'PRESSRUN_BUCKET',
        'PRESSRUN_FEED_ITEMS',
        'PRESSRUN_DIGEST_MAX_ARTICLES',
      ]) {
        expect(message).toContain(name);
      }
    }
  });

  it.each([['ftp://example.com'], ['not a url'], ['/relative']])('refuses the site URL %s', (url) => {
    expect(() => readConfig(env({ PRESSRUN_SITE_URL: url }))).toThrow(/PRESSRUN_SITE_URL/);
  });

  it('passes local endpoints through', () => {
    const config = readConfig(env({ PRESSRUN_S3_ENDPOINT: 'http://127.0.0.1:4569', PRESSRUN_DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567' }));
    expect(config.endpoints).toEqual({ s3: 'http://127.0.0.1:4569', dynamodb: 'http://127.0.0.1:4567' });
  });
});

describe('readConfig: WebSub', () => {
  it('names no hub unless PRESSRUN_WEBSUB_HUB is set', () => {
    expect(readConfig(env()).site.websubHub).toBeUndefined();
  });

  it.each([
    ['https://pubsubhubbub.appspot.com/', 'https://pubsubhubbub.appspot.com/'],
    ['https://hub.example.com/publish', 'https://hub.example.com/publish'],
  ])('keeps the hub %s as given, path and all', (hub, expected) => {
    expect(readConfig(env({ PRESSRUN_WEBSUB_HUB: hub })).site.websubHub).toBe(expected);
  });

  it('refuses a hub that is not an http(s) URL', () => {
    expect(() => readConfig(env({ PRESSRUN_WEBSUB_HUB: 'hub.example.com' }))).toThrow(/PRESSRUN_WEBSUB_HUB/);
  });
});
