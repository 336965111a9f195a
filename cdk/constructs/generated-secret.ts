/**
 * A secret whose value Secrets Manager generates (letters and digits), so it never appears in
 * a template, a context value or a shell history. Functions read it by ARN.
 */
import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export interface GeneratedSecretProps {
  readonly description: string;
  /** Characters in the generated value. */
  readonly length: number;
  /** Why the secret is not rotated automatically; acknowledges cdk-nag's AwsSolutions-SMG4 with it. */
  readonly notRotatedBecause: string;
  /** @default the removal policy of secretsmanager.Secret */
  readonly removalPolicy?: RemovalPolicy;
}

export class GeneratedSecret extends secretsmanager.Secret {
  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id, {
      description: props.description,
      generateSecretString: { passwordLength: props.length, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.notRotatedBecause });
  }
}
