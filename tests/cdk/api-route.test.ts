import { Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { describe, expect, it } from 'vitest';
import { ApiRoute } from '../../cdk/constructs/api-route.js';
import { testApp } from '../support/cdk-app.js';

const route = (path: string) => {
  const stack = new Stack(testApp(), 'Routes');
  const httpApi = new apigwv2.HttpApi(stack, 'HttpApi', { createDefaultStage: false });
  return new ApiRoute(stack, 'Route', { httpApi, path, integration: new HttpUrlIntegration('Url', 'https://example.com') });
};

describe('ApiRoute', () => {
  it('takes a path under /api/', () => {
    expect(() => route('/api/subscribe')).not.toThrow();
  });

  it.each(['/subscribe', '/api', '/apis/x'])(
    'refuses %s, which the distribution never sends to the API, and says where to put it',
    (path) => {
      expect(() => route(path)).toThrow(
        `ApiRoute Route: path "${path}" is outside /api/, and the distribution sends only /api/* to the HTTP API (cdk/constructs/site-distribution.ts): start the path with /api/`,
      );
    },
  );
});
