/**
 * The site's address: a CloudFront distribution serving the site bucket at the root and the
 * HTTP API under /api/*, so the site and the API share one origin and forms need no CORS.
 *
 * Its *.cloudfront.net name is the site's address when there is no custom domain, in every
 * feed reader and every email ever sent: it must never be replaced by a redeploy.
 */
import { Duration, Stack, Token, Validations, type SecretValue } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';

export interface SiteDistributionProps {
  /** Shown in the CloudFront console. */
  readonly comment: string;
  /** Served at the root; readable only by this distribution (Origin Access Control). */
  readonly siteBucket: s3.IBucket;
  /** Served under /api/*, uncached, over HTTPS on its execute-api name. */
  readonly httpApi: apigwv2.IHttpApi;
  /** Runs on the site's viewer requests (see edge-functions.ts). */
  readonly siteViewerRequest: cloudfront.IFunction;
  /** Runs on the API's viewer requests (see edge-functions.ts). */
  readonly apiViewerRequest: cloudfront.IFunction;
  /**
   * Sent to the API as the ORIGIN_VERIFY_HEADER header, so it can refuse requests that did not
   * come through CloudFront. A dynamic reference CloudFormation resolves at deploy, never the value.
   */
  readonly originVerifyValue: SecretValue;
  /** Receives the standard logs, under `cloudfront/`, where CloudFront can write to it (not in opt-in regions). */
  readonly logBucket: s3.IBucket;
  /**
   * A custom domain, with its certificate in us-east-1 (the only region CloudFront reads certificates from).
   * @default none: the site lives on the distribution's *.cloudfront.net name, which changes if the distribution is ever replaced
   */
  readonly domain?: { readonly name: string; readonly certificate: acm.ICertificate };
}

/** Must match ORIGIN_HEADER in functions/http/origin-guard.ts (header names are case-insensitive). */
export const ORIGIN_VERIFY_HEADER = 'X-Pressrun-Origin-Verify';

export class SiteDistribution extends cloudfront.Distribution {
  /** The public base URL of the site, with a trailing slash. */
  readonly siteUrl: string;
  /** False in opt-in regions, where the distribution's logs must come through logging v2 (cloudfront-logs-stack.ts). */
  readonly logsThroughLegacyLogging: boolean;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id, distributionProps(scope, id, props));
    this.siteUrl = `https://${props.domain ? props.domain.name : this.distributionDomainName}/`;
    this.logsThroughLegacyLogging = legacyLoggingWorks(scope);
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'A public news site and its feeds are meant for readers in every country; there is no region to exclude.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL: it would cost more at rest than the rest of the stack; the site is static objects, and the API guards itself (bearer token on write routes, HTTP API stage throttling, per-address limits in the app).',
      },
    );
    if (!legacyLoggingWorks(scope)) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-CFR3',
        reason: `CloudFront's legacy standard logging cannot write to a bucket in ${Stack.of(scope).region}, an opt-in region (the distribution would fail to deploy): the access logs come through logging v2 instead, set up by a stack in us-east-1 (cdk/cloudfront-logs-stack.ts), which the rule does not see.`,
      });
    }
    if (!props.domain) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without -c domainName the distribution uses the default *.cloudfront.net certificate, whose minimum TLS version CloudFront fixes; with a custom domain TLSv1.2_2021 is set.',
      });
    }
  }
}

/**
 * A URL that names nothing gets the site's own 404 page (404.html, published with the site)
 * with a 404 status. Custom error responses apply to every behavior, so only S3's 403 for a
 * missing key is mapped: the API answers its own 404s as problem documents, and never a 403.
 */
const notFoundPage: cloudfront.ErrorResponse = {
  httpStatus: 403,
  responseHttpStatus: 404,
  responsePagePath: '/404.html',
  ttl: Duration.seconds(10),
};

/**
 * The Content-Security-Policy of the site's objects: what the pages need and nothing more (no
 * script, inline styles, the images articles may carry, the form posting to the site, no
 * framing by other sites). The same policy as functions/core/pages/content-security-policy.ts,
 * which the local server sends; cdk/ knows functions/ only by file paths, so it is spelled out
 * here and tests/cdk/stateful-stack.test.ts keeps the two equal.
 */
function siteContentSecurityPolicy(siteOrigins: readonly string[] = []): string {
  const sources = (...list: readonly string[]) => list.join(' ');
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src ${sources("'self'", 'https:', 'http:', 'data:')}`,
    `form-action ${sources("'self'", ...siteOrigins)}`,
    `frame-ancestors ${sources("'self'")}`,
    "base-uri 'none'",
  ].join('; ');
}

/**
 * The headers of the managed SECURITY_HEADERS policy this behavior used before (HSTS for a
 * year, nosniff, SAMEORIGIN framing, strict-origin-when-cross-origin, the XSS filter), plus the
 * site's Content-Security-Policy. They apply to every answer of the site behavior, the 404 page
 * the error response serves included. With a custom domain, the policy also names it, so a
 * page opened under the *.cloudfront.net name may still post its form to the site.
 */
function siteResponseHeaders(scope: Construct, id: string, domain: SiteDistributionProps['domain']): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: "Pressrun site: security headers and the pages' Content-Security-Policy",
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: siteContentSecurityPolicy(domain ? [`https://${domain.name}`] : []), override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.SAMEORIGIN, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: true },
      xssProtection: { protection: true, modeBlock: true, override: true },
    },
  });
}

/**
 * Legacy standard logging writes to the bucket with ACLs, which CloudFront does not do in opt-in
 * regions (creating the distribution fails). An environment-agnostic synth names no region: it logs.
 */
function legacyLoggingWorks(scope: Construct): boolean {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) || !RegionInfo.get(region).isOptInRegion;
}

function distributionProps(scope: Construct, id: string, props: SiteDistributionProps): cloudfront.DistributionProps {
  const { domain } = props;
  return {
    comment: props.comment,
    defaultBehavior: siteBehavior(props, siteResponseHeaders(scope, `${id}SiteHeaders`, domain)),
    additionalBehaviors: { '/api/*': apiBehavior(scope, props) },
    // The viewer-request function maps "/" too; this keeps a bare root from ever listing the bucket.
    defaultRootObject: 'index.html',
    errorResponses: [notFoundPage],
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    ...(legacyLoggingWorks(scope) ? { enableLogging: true, logBucket: props.logBucket, logFilePrefix: 'cloudfront/' } : {}),
    ...(domain
      ? {
          domainNames: [domain.name],
          certificate: domain.certificate,
          minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        }
      : {}),
  };
}

function siteBehavior(props: SiteDistributionProps, responseHeadersPolicy: cloudfront.IResponseHeadersPolicy): cloudfront.BehaviorOptions {
  return {
    // READ only: S3 answers a missing key with 403, which notFoundPage turns into the site's 404 page.
    origin: origins.S3BucketOrigin.withOriginAccessControl(props.siteBucket, { originAccessLevels: [cloudfront.AccessLevel.READ] }),
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
    responseHeadersPolicy,
    functionAssociations: [{ function: props.siteViewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    compress: true,
  };
}

function apiBehavior(scope: Construct, props: SiteDistributionProps): cloudfront.BehaviorOptions {
  const stack = Stack.of(scope);
  return {
    origin: new origins.HttpOrigin(`${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerifyValue.unsafeUnwrap() },
    }),
    allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
    // A redirect would turn a POST into a GET; the API answers HTTPS only.
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
    cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
    // Every viewer header but Host (API Gateway refuses a foreign Host); a custom policy could not forward Authorization.
    // The address the per-client limits key on is the one the viewer-request function stamps (edge-functions.ts).
    originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    functionAssociations: [{ function: props.apiViewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
  };
}
