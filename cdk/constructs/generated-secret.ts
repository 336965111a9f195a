/**
 * A secret whose value Secrets Manager generates (letters and digits), so it never appears in
 * a template, a context value or a shell history. Functions read it by ARN.
 */
import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

const MIN_LENGTH = 32;
const MAX_LENGTH = 4096;

export interface GeneratedSecretProps {
  readonly description: string;
  /** Characters in the generated value: from 32 (the functions refuse a shorter signing key) to 4096 (Secrets Manager's limit). */
  readonly length: number;
  /** Why the secret is not rotated automatically; acknowledges cdk-nag's AwsSolutions-SMG4 with it. */
  readonly notRotatedBecause: string;
  /** @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

export class GeneratedSecret extends secretsmanager.Secret {
  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    if (!Number.isInteger(props.length) || props.length < MIN_LENGTH || props.length > MAX_LENGTH) {
      throw new Error(
        `GeneratedSecret ${id}: length must be a whole number from ${MIN_LENGTH} to ${MAX_LENGTH}, got ${props.length}: fewer letters and digits make a guessable token or key (and the functions refuse a signing key under ${MIN_LENGTH} characters); Secrets Manager generates at most ${MAX_LENGTH}`,
      );
    }
    super(scope, id, {
      description: props.description,
      generateSecretString: { passwordLength: props.length, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.notRotatedBecause });
  }
}
