import { describe, expect, it } from 'vitest';
import { ConfigError, readLambdaConfig } from '../functions/config.js';

const base = { PRESSRUN_SITE_URL: 'https://news.example.com', PRESSRUN_TABLE: 't', PRESSRUN_BUCKET: 'b' };

describe('readLambdaConfig', () => {
  it('reads the common configuration, the names a function asks for, and where the secrets extension listens', () => {
    const read = readLambdaConfig({ ...base, PRESSRUN_PUBLISH_FUNCTION: 'publish-fn', AWS_SESSION_TOKEN: 'tok' }, [
      'PRESSRUN_PUBLISH_FUNCTION',
    ]);
    expect(read.config.tableName).toBe('t');
    expect(read.names).toEqual({ PRESSRUN_PUBLISH_FUNCTION: 'publish-fn' });
    expect(read.secretsExtension).toEqual({ port: 2773, sessionToken: 'tok' });
  });

  it('names every missing variable of both parts at once', () => {
    try {
      readLambdaConfig({ PRESSRUN_TABLE: 't' }, ['PRESSRUN_PUBLISH_FUNCTION', 'PRESSRUN_API_TOKEN_SECRET_ID']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'PRESSRUN_SITE_URL is required',
        'PRESSRUN_BUCKET is required',
        'PRESSRUN_PUBLISH_FUNCTION is required',
        'PRESSRUN_API_TOKEN_SECRET_ID is required',
      ]);
    }
  });

  it('refuses an extension port that is not a port', () => {
    expect(() => readLambdaConfig({ ...base, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: 'http' }, [])).toThrow(
      /PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be a port number/,
    );
  });
});
