/**
 * The article routes of the HTTP API (/api/articles and below). They parse Markdown and
 * sanitize HTML: apart, so the API function readers start cold stays small.
 */
import { Duration } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { PressrunTable } from './pressrun-table.js';
import { PressrunFunction, type PressrunFunctionDefaults } from './pressrun-function.js';

export interface ArticlesFunctionProps extends PressrunFunctionDefaults {
  environment: Record<string, string>;
  table: PressrunTable;
  /** The bearer token the article routes check. */
  apiTokenSecret: secretsmanager.ISecret;
  /** CloudFront sends it; requests without it are refused (functions/http/origin-guard.ts). */
  originSecret: secretsmanager.ISecret;
}

export class ArticlesFunction extends PressrunFunction {
  constructor(scope: Construct, id: string, props: ArticlesFunctionProps) {
    super(scope, id, {
      ...props,
      entry: 'articles',
      description: 'The article routes of the HTTP API (Hono): Markdown and JSON articles in, stored articles out',
      memorySize: 1024,
      timeout: Duration.seconds(15),
      readsSecrets: true,
    });
    props.table.grantItemReadWrites(this);
    this.allow(['secretsmanager:GetSecretValue'], [props.apiTokenSecret.secretArn, props.originSecret.secretArn]);
  }
}
