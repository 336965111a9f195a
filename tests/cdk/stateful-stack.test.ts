import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SITE_VIEWER_REQUEST_FILE } from '../../cdk/constructs/edge-functions.js';
import { tableDefinition } from '../../functions/adapters/dynamo-table.js';
import { siteContentSecurityPolicy } from '../../functions/core/pages/content-security-policy.js';
import { resourcesOf, synthesize, type Synthesized } from './harness.js';

/** Managed CloudFront policies, by their documented ids. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let dev: Synthesized;
beforeAll(() => {
  dev = synthesize('dev');
});

const logicalId = (s: Synthesized, type: string, pattern: RegExp) => {
  const ids = resourcesOf(s.stateful, type)
    .map(([id]) => id)
    .filter((id) => pattern.test(id));
  expect(ids, `${type} ${pattern}`).toHaveLength(1);
  return ids[0]!;
};

describe('the table', () => {
  it('has the key layout the adapters create locally (functions/adapters/dynamo-table.ts)', () => {
    const local = tableDefinition('any');
    dev.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions!),
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes!.map((index) =>
        Match.objectLike({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection }),
      ),
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('keeps point-in-time recovery and expires items by their TTL attribute', () => {
    dev.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('streams new images, for the publish function to pick up the runs the API queues', () => {
    dev.stateful.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
  });

  it('is kept, with deletion protection, when a prod stack is deleted', () => {
    const prod = synthesize('prod');
    prod.stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });
});

describe('the site bucket', () => {
  it('blocks all public access, is encrypted and versioned', () => {
    const id = logicalId(dev, 'AWS::S3::Bucket', /^SiteBucket/);
    expect(dev.stateful.toJSON().Resources[id].Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('is readable only by this distribution through Origin Access Control, and only over TLS', () => {
    const bucket = logicalId(dev, 'AWS::S3::Bucket', /^SiteBucket/);
    const distribution = logicalId(dev, 'AWS::CloudFront::Distribution', /^Distribution/);
    const [, policy] = resourcesOf(dev.stateful, 'AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucket }),
    )!;
    const statements = (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(0);
    for (const allow of allows) {
      expect(allow.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
      expect(JSON.stringify(allow.Condition)).toContain(`"Ref":"${distribution}"`);
      expect(allow.Condition).toHaveProperty(['StringEquals', 'AWS:SourceArn']);
      expect([allow.Action].flat().every((action) => action === 's3:GetObject' || action === 's3:ListBucket')).toBe(true);
    }
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    dev.stateful.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([
          Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } }),
        ]),
      }),
    });
  });
});

describe('the distribution', () => {
  it('routes /api/* to the HTTP API, uncached, with every viewer header but Host', () => {
    const api = logicalId(dev, 'AWS::ApiGatewayV2::Api', /^HttpApi/);
    const config = Object.values(dev.stateful.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as {
      CacheBehaviors: Array<Record<string, unknown>>;
      Origins: Array<{ Id: string; DomainName: unknown }>;
    };
    const behavior = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*')!;
    expect(behavior).toMatchObject({
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
    });
    expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
    const origin = config.Origins.find((o) => o.Id === behavior.TargetOriginId)!;
    expect(JSON.stringify(origin.DomainName)).toContain(`"Ref":"${api}"`);
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
  });

  it('answers a URL that names nothing with the site’s 404 page, and leaves the API’s own 404s alone', () => {
    const config = Object.values(dev.stateful.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as {
      CustomErrorResponses?: Array<Record<string, unknown>>;
    };
    // S3 answers a missing key with 403 once the distribution may only read (not list); the API never answers 403.
    expect(config.CustomErrorResponses).toEqual([
      { ErrorCode: 403, ResponseCode: 404, ResponsePagePath: '/404.html', ErrorCachingMinTTL: 10 },
    ]);
    const bucketPolicy = JSON.stringify(dev.stateful.findResources('AWS::S3::BucketPolicy'));
    expect(bucketPolicy).not.toContain('s3:ListBucket');
  });

  it('runs functions/edge/feed-page-rewrite.js on the site and stamps the viewer address on the API', () => {
    dev.stateful.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: readFileSync(SITE_VIEWER_REQUEST_FILE, 'utf8'),
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    dev.stateful.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: Match.stringLikeRegexp('x-pressrun-viewer-address') });
  });

  it('sends the managed policy’s security headers and the pages’ Content-Security-Policy with every answer of the site', () => {
    const policy = logicalId(dev, 'AWS::CloudFront::ResponseHeadersPolicy', /SiteHeaders/);
    const config = Object.values(dev.stateful.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as {
      DefaultCacheBehavior: Record<string, unknown>;
      CacheBehaviors: Array<Record<string, unknown>>;
    };
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policy });
    // The API's pages send their own policy (functions/http/subscriptions.ts).
    expect(config.CacheBehaviors.find((b) => b.PathPattern === '/api/*')!.ResponseHeadersPolicyId).toBeUndefined();
    expect(dev.stateful.toJSON().Resources[policy].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toEqual({
      // The same value the local server sends (functions/core/pages/content-security-policy.ts).
      ContentSecurityPolicy: { ContentSecurityPolicy: siteContentSecurityPolicy(), Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'SAMEORIGIN', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, Override: true },
      XSSProtection: { Protection: true, ModeBlock: true, Override: true },
    });
  });

  it('lets pages opened under the distribution’s own name post the form to a custom domain', () => {
    const custom = synthesize('prod', {
      domainName: 'news.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
    });
    custom.stateful.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: siteContentSecurityPolicy({ siteOrigins: ['https://news.example.com'] }),
            Override: true,
          },
        }),
      }),
    });
  });

  it('takes a custom domain with its us-east-1 certificate and a modern TLS policy', () => {
    const custom = synthesize('prod', {
      domainName: 'news.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
    });
    custom.stateful.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['news.example.com'],
        ViewerCertificate: Match.objectLike({
          AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
          MinimumProtocolVersion: 'TLSv1.2_2021',
        }),
      }),
    });
    custom.stateful.hasOutput('SiteUrl', { Value: 'https://news.example.com/' });
  });

  it('outputs the site, API and feed URLs', () => {
    for (const output of ['SiteUrl', 'ApiUrl', 'FeedUrls', 'ApiTokenSecretArn', 'OriginSecretArn', 'DkimRecord1'])
      dev.stateful.hasOutput(output, {});
  });
});

describe('queues, mail and secrets', () => {
  it('gives the send queue and the mail queue a dead-letter queue after five receives, and encrypts every queue', () => {
    const dlq = logicalId(dev, 'AWS::SQS::Queue', /^SendDeadLetterQueue/);
    for (const queue of [/^SendQueue/, /^MailQueue/]) {
      expect(dev.stateful.toJSON().Resources[logicalId(dev, 'AWS::SQS::Queue', queue)].Properties).toMatchObject({
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
        VisibilityTimeout: 720,
      });
    }
    for (const [, queue] of resourcesOf(dev.stateful, 'AWS::SQS::Queue')) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('sends SES bounces and complaints to an SNS topic SES alone may publish to', () => {
    const topic = logicalId(dev, 'AWS::SNS::Topic', /^SesEvents/);
    dev.stateful.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: topic } },
      }),
    });
    dev.stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'ses.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    dev.stateful.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
  });

  it('generates the API token, the signing key and the origin secret in Secrets Manager, never in the template', () => {
    const secrets = resourcesOf(dev.stateful, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(3);
    for (const [, secret] of secrets) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
      expect(secret.Properties.SecretString).toBeUndefined();
    }
  });
});

describe('what readers depend on', () => {
  /**
   * The distribution's domain is in every feed reader and every mail sent; the SES identity's
   * DKIM records are in the sender's DNS. Kept in prod with the table and the site bucket, and
   * with what the distribution uses, which CloudFront refuses to delete while it is in use.
   */
  const KEPT_IN_PROD = [
    'AWS::DynamoDB::Table',
    'AWS::CloudFront::Distribution',
    'AWS::CloudFront::Function',
    'AWS::CloudFront::ResponseHeadersPolicy',
    'AWS::CloudFront::OriginAccessControl',
    'AWS::SES::EmailIdentity',
    'AWS::SES::ConfigurationSet',
  ];

  it.each([
    ['prod', 'Retain'],
    ['dev', 'Delete'],
  ])('is %s: %s when its stack is deleted or the resource replaced', (stage, policy) => {
    const { stateful } = stage === 'dev' ? dev : synthesize(stage);
    for (const type of KEPT_IN_PROD) {
      const resources = resourcesOf(stateful, type);
      expect(resources.length, type).toBeGreaterThan(0);
      for (const [id] of resources) {
        const resource = stateful.toJSON().Resources[id] as { DeletionPolicy?: string; UpdateReplacePolicy?: string };
        expect([id, resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([id, policy, policy]);
      }
    }
    // The buckets are kept in either stage: the site outlives a dev stack too.
    for (const [id] of resourcesOf(stateful, 'AWS::S3::Bucket')) expect(stateful.toJSON().Resources[id].DeletionPolicy, id).toBe('Retain');
  });
});

describe('the only way in', () => {
  const apiOrigin = (s: Synthesized) => {
    const config = Object.values(s.stateful.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as {
      CacheBehaviors: Array<Record<string, unknown>>;
      Origins: Array<{ Id: string; CustomOriginConfig?: unknown; OriginCustomHeaders?: unknown }>;
    };
    const behavior = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*')!;
    return config.Origins.find((o) => o.Id === behavior.TargetOriginId)!;
  };
  const reference = (secret: string, versionId = '') => ({
    'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret }, `:SecretString:::${versionId}}}`]],
  });

  it('is CloudFront: it sends the API a generated secret, resolved by CloudFormation at deploy and never in the template', () => {
    const secret = logicalId(dev, 'AWS::SecretsManager::Secret', /^OriginVerify/);
    expect(apiOrigin(dev).OriginCustomHeaders).toEqual([{ HeaderName: 'X-Pressrun-Origin-Verify', HeaderValue: reference(secret) }]);
    expect(dev.stateful.toJSON().Resources[secret].Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
  });

  it('sends a given version of the secret after a rotation (a changed template, so the deploy updates the distribution)', () => {
    const rotated = synthesize('dev', { originSecretVersion: '0f0e0d0c-aaaa-bbbb-cccc-000000000000' });
    const secret = logicalId(rotated, 'AWS::SecretsManager::Secret', /^OriginVerify/);
    expect(apiOrigin(rotated).OriginCustomHeaders).toEqual([
      { HeaderName: 'X-Pressrun-Origin-Verify', HeaderValue: reference(secret, '0f0e0d0c-aaaa-bbbb-cccc-000000000000') },
    ]);
  });

  it('forwards CloudFront-Viewer-Address, the address the per-client limits key on, through the managed policy that forwards every viewer header but Host', () => {
    const config = Object.values(dev.stateful.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as {
      CacheBehaviors: Array<Record<string, unknown>>;
    };
    expect(config.CacheBehaviors.find((b) => b.PathPattern === '/api/*')!.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
  });
});
