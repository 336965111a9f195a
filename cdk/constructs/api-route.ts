/**
 * A route of the HTTP API, any method, to one integration. Authorization is the app's: see the
 * acknowledgment below.
 */
import { Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';

/** The only paths the distribution sends to the HTTP API (site-distribution.ts). */
export const API_PATH_PREFIX = '/api/';

export interface ApiRouteProps {
  readonly httpApi: apigwv2.IHttpApi;
  /** The route's path; it must start with /api/, or no request would reach it. */
  readonly path: string;
  readonly integration: apigwv2.HttpRouteIntegration;
}

export class ApiRoute extends apigwv2.HttpRoute {
  constructor(scope: Construct, id: string, props: ApiRouteProps) {
    if (!props.path.startsWith(API_PATH_PREFIX)) {
      throw new Error(
        `ApiRoute ${id}: path "${props.path}" is outside ${API_PATH_PREFIX}, and the distribution sends only ${API_PATH_PREFIX}* to the HTTP API (cdk/constructs/site-distribution.ts): start the path with ${API_PATH_PREFIX}`,
      );
    }
    super(scope, id, {
      httpApi: props.httpApi,
      routeKey: apigwv2.HttpRouteKey.with(props.path, apigwv2.HttpMethod.ANY),
      integration: props.integration,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Authorization is per route inside the app: write routes and article reads check a bearer token from Secrets Manager in constant time; subscribe, confirm, unsubscribe and the feeds are public by design (RFC 8058 one-click unsubscribe must work without credentials).',
    });
  }
}
